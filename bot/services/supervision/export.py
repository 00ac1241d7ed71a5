"""The figures as JSON, CSV (UTF-8 with BOM, one block per section) or XLSX (a sheet per section,
Chinese titles, the school and the period on every sheet), laid out to be handed to a supervisor."""

from __future__ import annotations

import csv
import io
import json

from bot.services.supervision.figures import RULE, Figures

SHEET_NAMES = {
    "reports_by_source": "报告来源与级别", "reports_by_category": "报告类别", "reports_by_grade": "报告按年级",
    "cases_opened": "新开案例", "cases_closed": "结案", "acknowledgement": "预警确认时间", "followups": "跟进",
    "checkins": "周报完成", "training_sessions": "培训场次", "training_by_role": "培训按角色",
    "training_by_class": "培训按班级", "training_per_member": "培训按人", "committee_bound": "心理委员绑定",
    "committee_none": "无绑定的班级",
}


def heading(figures: Figures) -> list[str]:
    """The lines at the top of every sheet: title, school, period, when made."""
    made = figures.generated_at.astimezone(figures.zone).strftime("%Y-%m-%d %H:%M")
    return [f"{figures.school} 学生心理健康工作督导数据",
            f"学校：{figures.school}　时间：{figures.period.label}（{figures.period.text}）　生成：{made}"]


def to_json(figures: Figures) -> bytes:
    """JSON (UTF-8)."""
    return json.dumps(figures.as_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def to_csv(figures: Figures) -> bytes:
    """Every section as a block: its title, its columns, its rows, a blank line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for line in heading(figures):
        w.writerow([line])
    w.writerow([RULE])
    for section in figures.sections:
        w.writerow([])
        w.writerow([section.title])
        w.writerow(section.columns)
        w.writerows(section.rows)
        if section.note:
            w.writerow([f"说明：{section.note}"])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(figures: Figures) -> bytes:
    """A cover sheet and a sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "说明"
    title, where = heading(figures)
    cover.append([title])
    cover.append([where])
    cover.append([RULE])
    cover.append([])
    cover.append(["工作表", "内容"])
    for section in figures.sections:
        cover.append([SHEET_NAMES.get(section.key, section.key[:31]), section.title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 18
    cover.column_dimensions["B"].width = 60
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for section in figures.sections:
        sheet = book.create_sheet(SHEET_NAMES.get(section.key, section.key[:31]))
        sheet.append([section.title])
        sheet.append([where])
        sheet.append([f"说明：{section.note}" if section.note else ""])
        sheet.append(section.columns)
        for row in section.rows:
            sheet.append(row)
        sheet["A1"].font = Font(bold=True, size=13)
        for cell in sheet[4]:
            cell.font, cell.fill = Font(bold=True), header_fill
            cell.alignment = Alignment(horizontal="center")
        for i, _ in enumerate(section.columns):
            sheet.column_dimensions[chr(ord("A") + i)].width = 16 if i else 22
        sheet.freeze_panes = "A5"
        sheet.page_setup.orientation = "landscape"
        sheet.print_title_rows = "4:4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}
