"""FerretDB v1 (MongoDB wire protocol on SQLite), built from our tiny Go main module.

``go install github.com/FerretDB/FerretDB/cmd/ferretdb`` panics on a missing generated version file
(FerretDB issue 2982), so ``tools/infra/build/ferretdb/main.go`` imports the embeddable package instead.

One line of FerretDB is patched before the build (:data:`PATCHES`): its SQLite backend looks ``_id``
up with the expression ``->'$._id'`` while the unique ``_id`` index is built on ``->"_id"``, so SQLite
never uses that index and every find, update and delete by ``_id`` scans the whole collection (143 ms
per ``find_one`` at 100,000 documents, measured). With the expressions equal the index is used.
FerretDB pushes only ``_id`` equality down to SQLite; a second patch pushes ``{_id: {$in: [ids]}}``
down too (up to 5,000 string or ObjectId ids), which it otherwise answers by reading the whole
collection: 500 ids among 100,000 documents take 0.2–0.35 s in one query against 1.1–2.3 s as 500
concurrent ``find_one`` (measured on a loaded machine). FerretDB still filters what SQLite returns
with the whole query, so the pushdown only narrows what is read.
The patch is applied to a vendored copy in the cache; the module cache itself is left untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tools.infra.paths import INFRA_SOURCES, cache_dir, port_open
from tools.infra.process import InfraError, ManagedProcess, run_checked

FERRETDB_VERSION = "1.24.2"
MODULE_DIR = INFRA_SOURCES / "ferretdb"
_COLLECTION = "github.com/FerretDB/FerretDB/internal/backends/sqlite/collection.go"
_ID_IN_SWITCH = (_COLLECTION, """\
		switch v.(type) {
		case string, types.ObjectID:
			whereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)
			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		}""", """\
		switch v := v.(type) {
		case string, types.ObjectID:
			whereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)
			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		case *types.Document: // vanthu: {_id: {$in: [ids]}} from the _id index too
			whereClause, args = vanthuIDIn(v)
		}""")
_ID_IN_HELPER = (_COLLECTION, "// InsertAll implements backends.Collection interface.", """\
// vanthuIDIn is the WHERE clause of {$in: [string or ObjectID ids]} (at most 5000), else none.
func vanthuIDIn(cond *types.Document) (string, []any) {
	if cond.Len() != 1 {
		return "", nil
	}
	in, _ := cond.Get("$in")
	ids, ok := in.(*types.Array)
	if !ok || ids.Len() == 0 || ids.Len() > 5000 {
		return "", nil
	}
	marks := make([]string, ids.Len())
	args := make([]any, ids.Len())
	for i := 0; i < ids.Len(); i++ {
		id := must.NotFail(ids.Get(i))
		switch id.(type) {
		case string, types.ObjectID:
		default:
			return "", nil
		}
		marks[i] = "?"
		args[i] = string(must.NotFail(sjson.MarshalSingleValue(id)))
	}
	return fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, strings.Join(marks, ", ")), args
}

// InsertAll implements backends.Collection interface.""")
PATCHES: tuple[tuple[str, str, str], ...] = (
    ("github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata/metadata.go",
     "IDColumn = DefaultColumn + \"->'$._id'\"", "IDColumn = DefaultColumn + \"->'_id'\""),
    _ID_IN_SWITCH,
    _ID_IN_HELPER,
)
"""(vendored file, text, replacement): the same expression as the ``_id`` index, so it is used;
and a find on ``{_id: {$in: [...]}}`` answered from that index as well (``WHERE _id IN (...)``)."""


def ferretdb_binary() -> Path:
    """Return the FerretDB launcher binary, building it on first use (about 2 minutes on 2 cores)."""
    digest = hashlib.sha256()
    for name in ("go.mod", "go.sum", "main.go"):
        digest.update((MODULE_DIR / name).read_bytes())
    digest.update(repr(PATCHES).encode())
    binary = cache_dir() / "bin" / f"vanthu-ferretdb-{FERRETDB_VERSION}-{digest.hexdigest()[:12]}"
    if binary.exists():
        return binary
    go = shutil.which("go")
    if go is None:
        raise InfraError("FerretDB is built from source and needs Go on PATH")
    env = {
        **os.environ,
        "GOMODCACHE": str(cache_dir() / "go" / "mod"),
        "GOCACHE": str(cache_dir() / "go" / "build"),
        "CGO_ENABLED": "0",
        "GOFLAGS": "-mod=readonly",
    }
    binary.parent.mkdir(parents=True, exist_ok=True)
    build_dir = cache_dir() / "go" / "ferretdb-build"
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    for name in ("go.mod", "go.sum", "main.go"):
        shutil.copy2(MODULE_DIR / name, build_dir / name)
    run_checked([go, "mod", "vendor"], cwd=build_dir, env={**env, "GOFLAGS": ""},
                what="vendoring FerretDB")
    for path, old, new in PATCHES:
        target = build_dir / "vendor" / path
        text = target.read_text()
        if text.count(old) != 1:
            raise InfraError(f"FerretDB patch does not apply to {path}: {old!r} not found once")
        target.chmod(0o644)
        target.write_text(text.replace(old, new))
    tmp = binary.with_suffix(".tmp")
    run_checked([go, "build", "-mod=vendor", "-trimpath", "-o", str(tmp), "."], cwd=build_dir,
                env={**env, "GOFLAGS": ""}, what="building FerretDB")
    tmp.rename(binary)
    shutil.rmtree(build_dir, ignore_errors=True)
    return binary


@dataclass(frozen=True)
class FerretNode:
    """Where one local FerretDB keeps its SQLite files and listens."""

    data_dir: Path
    port: int

    @property
    def url(self) -> str:
        """The MongoDB connection URL."""
        return f"mongodb://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 30.0) -> ManagedProcess:
        """Start FerretDB and wait until it accepts connections."""
        binary = ferretdb_binary()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.data_dir / "ferretdb.log"
        proc = ManagedProcess.spawn(
            "ferretdb",
            [str(binary), "-listen", f"127.0.0.1:{self.port}", "-data", str(self.data_dir / "db")],
            log_path=log_path,
        )
        proc.wait_until(lambda: port_open("127.0.0.1", self.port), timeout, "open port")
        return proc
