"""The two seed letters as the router receives them, built by hand from their corpus labels.

Copied from the corpus (labels.jsonl entries "s01.txt" and "s02.txt", texts docs/s01.txt and
docs/s02.txt) so that the tests never depend on the corpus being present. The bodies are the text
between "Kính gửi" and "Nơi nhận", whitespace collapsed. Neither letter is dated (labels: issued_on
null); the reception times are assumptions drawn from the documents they cite: letter 1 follows
8135/UBND-HCC of 10/08/2023, letter 2 follows 1448/UBND-HCC of 06/02/2024, days before Tết 2024.
"""

from __future__ import annotations

from datetime import date, datetime

from services.router.model import RoutingInput
from shared.clock import VIETNAM_TZ
from shared.events import MeetingInfo, StatedDeadline

LETTER_1_BODY = (
    'Thực hiện Văn bản số 8135/UBND-HCC ngày 10/8/2023 của UBND tỉnh Đồng Nai về việc chấn chỉnh công'
    ' tác phối hợp thực hiện nhiệm vụ cải cách hành chính, giải quyết TTHC trên địa bàn tỉnh, Giám '
    'đốc Sở Công Thương đề nghị các phòng, đơn vị thuộc Sở thực hiện các nội dung sau: - Trưởng các '
    'phòng, đơn vị tăng cường công tác lãnh đạo chỉ đạo, quán triệt, nâng cao trách nhiệm trong công '
    'tác phối hợp thực hiện nhiệm vụ cải cách hành chính, giải quyết hồ sơ công việc hành chính, giải'
    ' quyết thủ tục hành chính cho người dân, doanh nghiệp; không để diễn ra tình trạng đùn đẩy trách'
    ' nhiệm giữa các phòng, cơ quan, đơn vị dẫn đến chậm trễ trong triển khai cải cách hành chính, '
    'giải quyết công việc hành chính, chậm trễ trong giải quyết TTHC cho người dân và doanh nghiệp. '
    'Đây xác định là giải pháp trọng tâm để nâng cao hiệu quả công tác cải cách hành chính, kết quả '
    'thực hiện nhiệm vụ của các đơn vị, địa phương trong 6 tháng cuối năm 2023 và các năm tiếp theo. '
    '- Cán bộ công chức, viên chức tăng cường sử dụng ứng dụng công nghệ thông tin, truyền thông (hệ '
    'thống phần mềm quản lý văn bản, zalo…) để nâng cao hiệu quả công tác phối hợp giải quyết công '
    'việc; khắc phục dứt điểm tình trạng không phối hợp, không trả lời hoặc trả lời chậm dẫn đến chậm'
    ' trễ trong giải quyết công việc hành chính, giải quyết TTHC cho người dân và doanh nghiệp; - '
    'Thường xuyên rà soát công tác phối hợp giữa các ngành, các cấp, giữa các đơn vị, địa phương '
    'trong việc giải quyết hồ sơ, công việc của người dân, doanh nghiệp; nếu có các khó khăn, vướng '
    'mắc trong thực hiện thì phản ánh, báo cáo sớm về Lãnh đạo Sở Công Thương (qua Văn phòng Sở) để '
    'kịp thời tổng hợp, báo cáo Chủ tịch UBND tỉnh, Ban Chỉ đạo cải cách hành chính của tỉnh; khắc '
    'phục tình trạng chậm trễ kéo dài, ảnh hưởng đến công tác giải quyết công việc của người dân. '
    'Trên đây là ý kiến của Giám đốc Sở Công Thương về việc chấn chỉnh công tác phối hợp thực hiện '
    'nhiệm vụ cải cách hành chính, giải quyết TTHC trên địa bàn tỉnh, đề nghị các phòng, đơn vị '
    'nghiêm túc triển khai thực hiện./.'
)

LETTER_2_BODY = (
    'Sở Công Thương nhận được Văn bản số 1448/UBND-HCC ngày 06/02/2024 của Sở Nội vụ về việc tổ chức '
    'tổng kết công tác cải cách hành chính năm 2023, triển khai phương hướng, nhiệm vụ năm 2024 (văn '
    'bản điện tử đính kèm). Để có cơ sở tổng hợp báo cáo Sở Nội vụ, Sở Công Thương kính mời Trưởng '
    'các phòng, đơn vị và các công chức thực hiện công tác cải cách hành chính tham dự buổi làm việc,'
    ' cụ thể như sau: 1. Chủ trì cuộc họp: Đồng chí Phạm Văn Cường – Giám đốc Sở Công Thương Đồng '
    'Nai. 1. Thời gian: 09 giờ ngày 19/02/2024 (sáng thứ Hai). 2. Địa điểm: Phòng họp lớn Sở Công '
    'Thương. 3. Nội dung: Họp tổng kết công tác cải cách hành chính năm 2023, triển khai phương '
    'hướng, nhiệm vụ năm 2024. 4. Phân công thực hiện: - Các phòng, đơn vị căn cứ theo chức năng '
    'nhiệm vụ được giao, chuẩn bị nội dung báo cáo kết quả thực hiện công tác cải cách hành chính '
    'trong năm 2023, nhất là những nội dung chưa đạt được trong năm 2023 (căn cứ theo Báo cáo 446/BC-'
    ' UBND ngày 29/12/2023 của UBND tỉnh Đồng Nai về kết quả khảo sát ý kiến người dân về sự phục vụ '
    'của cơ quan hành chính nhà nước năm 2023 và Quyết định số 33/QĐ-UBND ngày 08/01/2024 của UBND '
    'tỉnh về việc công bố chỉ số cải cách hành chính của các Sở, ban, ngành và UBND cấp huyện năm '
    '2023) và đề xuất các giải pháp triển khai thực hiện kế hoạch cải cách hành chính năm 2024. Đề '
    'nghị các phòng, đơn vị gửi các nội dung báo cáo về Sở Công Thương trước ngày 16/2/2024 (gửi về '
    'Văn phòng Sở) để tổng hợp. 2 - Giao Văn phòng Sở chuẩn bị nội dung báo cáo tổng hợp công tác cải'
    ' cách hành chính năm 2023, chuẩn bị tài liệu cho lãnh đạo Sở làm việc và thực hiện báo cáo kết '
    'quả buổi làm việc cho UBND tỉnh (qua Sở Nội vụ) theo đúng thời gian quy định. Trên đây là nội '
    'dung triển khai về việc tổ chức tổng kết công tác cải cách hành chính năm 2023, triển khai '
    'phương hướng, nhiệm vụ năm 2024. Đề nghị các phòng, đơn vị thuộc Sở nghiêm túc thực hiện./.'
)

LETTER_1 = RoutingInput(
    dispatch_id="s01",
    issuer="SỞ CÔNG THƯƠNG",
    parent_issuer="UBND TỈNH ĐỒNG NAI",
    doc_type="Công văn",
    number=None,
    notation="SCT-VP",
    subject="chấn chỉnh công tác phối hợp thực hiện nhiệm vụ cải cách hành chính, giải quyết TTHC trên "
            "địa bàn tỉnh",
    body=LETTER_1_BODY,
    recipients=["Các phòng, đơn vị thuộc Sở"],
    issued_on=None,
    received_at=datetime(2023, 8, 15, 9, 0, tzinfo=VIETNAM_TZ),  # a Tuesday
)

LETTER_2 = RoutingInput(
    dispatch_id="s02",
    issuer="SỞ CÔNG THƯƠNG",
    parent_issuer="UBND TỈNH ĐỒNG NAI",
    doc_type="Công văn",
    number=None,
    notation="SCT-VP",
    subject="tổ chức tổng kết công tác cải cách hành chính năm 2023, triển khai phương hướng, nhiệm vụ "
            "năm 2024",
    body=LETTER_2_BODY,
    recipients=["Các phòng, đơn vị thuộc Sở"],
    issued_on=None,
    received_at=datetime(2024, 2, 6, 14, 0, tzinfo=VIETNAM_TZ),  # Tuesday before Tết (08–14/02)
    stated_deadlines=[StatedDeadline(
        date=date(2024, 2, 16), time=None,
        what="gửi nội dung báo cáo kết quả thực hiện cải cách hành chính năm 2023 về Văn phòng Sở",
        who="Các phòng, đơn vị",
    )],
    meeting=MeetingInfo(date=date(2024, 2, 19), time="09:00", place="Phòng họp lớn Sở Công Thương"),
)
