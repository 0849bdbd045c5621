"""Developer and operator tools: the vanthu CLI, the demo, the fleet harness, local infrastructure."""
