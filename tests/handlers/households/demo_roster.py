"""The demo household sheet, as rows: docs/examples/households.xlsx holds exactly these (a test checks it).
Every name, address and number is invented."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tests.factories import ROOT

DEMO_XLSX = ROOT / "docs" / "examples" / "households.xlsx"
HEADER = ["户编号", "网格编号", "地址", "家庭电话", "姓名", "称呼", "电话", "标签", "照护人", "微信", "探访", "探访时间",
          "等待小时", "备注"]
ROWS = [
    ["g1-0101", "grid-1", "1栋1单元101", "", "王秀英", "王奶奶", "13900000101", "独居老人", "worker-1",
     "sandbox:resident-wang", "每天", "09:00", "3", "子女在外地"],
    ["g1-0302", "grid-1", "3栋2单元302", "0571-00001302", "李建国", "李爷爷", "", "独居老人、残疾", "worker-1", "",
     "周一、周三、周五", "10:00", "2", "没有智能手机，网格员代为探访"],
    ["g1-0501", "grid-1", "5栋1单元501", "", "陈大海", "", "13900000501", "", "", "", "", "", "", ""],
    ["g1-0501", "grid-1", "5栋1单元501", "", "陈小雨", "", "", "留守儿童", "worker-1", "", "不探访", "", "", "父母在外务工"],
    ["g1-0602", "grid-1", "6栋1单元602", "", "赵桂兰", "", "13900000602", "重点关注", "worker-1", "", "", "", "", ""],
    ["g2-0801", "grid-2", "8栋2单元301", "", "刘淑芬", "刘阿姨", "13900000801", "独居老人", "mediator-building",
     "sandbox:resident-liu", "每天", "08:00", "2", "楼栋长陈阿姨照看"],
    ["g2-0902", "grid-2", "9栋1单元202", "", "孙志强", "", "13900000902", "", "", "", "", "", "", ""],
    ["g2-1103", "grid-2", "11栋3单元103", "", "周梅", "", "13900001103", "残疾", "worker-2", "", "", "", "", "轮椅出行"],
    ["g3-s12", "grid-3", "沿街商铺12号", "13900003012", "钱卫东", "", "", "", "", "", "", "", "", "五金店"],
    ["g3-s15", "grid-3", "沿街商铺15号", "13900003015", "吴丽华", "", "", "", "", "", "", "", "", "早餐店"],
]


def write_xlsx(path: Path, rows: list[list[str]] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "住户名单"
    for row in [HEADER, *(ROWS if rows is None else rows)]:
        sheet.append(row)
    book.save(path)
    return path


if __name__ == "__main__":  # rebuild the committed demo file: python -m tests.handlers.households.demo_roster
    write_xlsx(DEMO_XLSX)
