"""`gridbot import groups FILE`: the group chats of a district or city, each on its grid, with its name, its
broadcast tags and its WeCom group robot (the bridge group's fallback when the personal account cannot send).
Checked whole: every bad cell and reference named by line and column, nothing imported until the file is clean;
a re-import moves a group and keeps a robot key left blank."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.importing import run_import
from storage.db import session as new_session
from storage.models import AuditEntry, ChatGroup
from storage.sync import sync_community
from tests.bot.importing.test_rosters import NOW, import_all, xlsx
from tests.factories import DIRECT

pytestmark = pytest.mark.postgres

HEADER = ["渠道", "群号", "网格编号", "群名称", "群机器人", "标签"]
ROBOT_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture
def rostered(engine, config, tmp_path):  # noqa: ANN001, ANN201
    """The demo community from config.toml, then people, a station, a community and grid lake-1 imported."""
    with new_session(engine) as s:
        sync_community(s, config=config, now=NOW, direct=DIRECT)
        s.commit()
    import_all(engine, tmp_path)
    return engine


def groups(engine) -> dict[tuple[str, str], tuple]:  # noqa: ANN001
    with new_session(engine) as s:
        return {(g.channel, g.chat_id): (g.grid_id, g.name, g.webhook_key, g.tags) for g in s.exec(select(ChatGroup))}


def run(engine, tmp_path, rows: list[list], *, dry_run: bool = False) -> tuple[bool, list[str]]:  # noqa: ANN001
    return run_import(engine, kind="groups", path=xlsx(tmp_path / "groups.xlsx", [HEADER, *rows]),
                      dry_run=dry_run, now=NOW)


def test_groups_import_with_their_grid_name_tags_and_robot_key(rostered, tmp_path):
    ok, lines = run(rostered, tmp_path, [
        ["bridge", "R:10696051@chatroom", "lake-1", "湖滨一网格居民群", ROBOT_URL, "住宅"],
        ["bridge", "R:20000001@chatroom", "lake-1", "湖滨商户群", "693a91f6-0000-4bc4-97a0-0ec2sifa5bbb", "商铺、沿街"],
        ["wecom", "wrLake1", "lake-1", "", "", ""]])
    assert ok and lines[-1].endswith("已导入。groups: 3行，新增3，更新0"), lines
    found = groups(rostered)
    assert found[("bridge", "R:10696051@chatroom")] == ("lake-1", "湖滨一网格居民群",
                                                        "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa", ["住宅"])
    assert found[("bridge", "R:20000001@chatroom")][3] == ["商铺", "沿街"]
    assert found[("wecom", "wrLake1")] == ("lake-1", "", "", [])
    with new_session(rostered) as s:
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "import_groups")).one()
    assert audit.detail == "groups.xlsx groups: 3行，新增3，更新0"  # counts only: a robot key is a credential


def test_a_reimport_updates_the_group_and_keeps_a_robot_key_left_blank(rostered, tmp_path):
    assert run(rostered, tmp_path, [["bridge", "R:1@chatroom", "lake-1", "旧名", ROBOT_URL, ""]])[0]
    ok, lines = run(rostered, tmp_path, [["bridge", "R:1@chatroom", "lake-1", "湖滨一网格新群", "", "住宅"]])
    assert ok and lines[-1].endswith("新增0，更新1")
    assert groups(rostered)[("bridge", "R:1@chatroom")] == ("lake-1", "湖滨一网格新群",
                                                            "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa", ["住宅"])


def test_a_blank_cell_keeps_what_is_on_record_and_wu_clears_it(rostered, tmp_path):
    assert run(rostered, tmp_path, [["bridge", "R:1@chatroom", "lake-1", "居民群", ROBOT_URL, "住宅、老旧小区"]])[0]
    assert run(rostered, tmp_path, [["bridge", "R:1@chatroom", "lake-1", "", "", ""]])[0]
    assert groups(rostered)[("bridge", "R:1@chatroom")] == ("lake-1", "居民群", "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa",
                                                            ["住宅", "老旧小区"])
    assert run(rostered, tmp_path, [["bridge", "R:1@chatroom", "lake-1", "", "无", "无"]])[0]
    assert groups(rostered)[("bridge", "R:1@chatroom")] == ("lake-1", "居民群", "", [])


def test_a_group_config_toml_lists_is_changed_there_not_by_import(rostered, tmp_path):
    with new_session(rostered) as s:
        listed = s.exec(select(ChatGroup).where(ChatGroup.from_config.is_(True))).first()
    assert listed is not None  # the demo community's own groups
    ok, lines = run(rostered, tmp_path, [[listed.channel, listed.chat_id, "lake-1", "", "", ""]])
    assert not ok and f"第2行 群号：群“{listed.chat_id}”写在config.toml里，请在config.toml中修改" in "\n".join(lines)


def test_dry_run_writes_nothing(rostered, tmp_path):
    before = groups(rostered)
    ok, lines = run(rostered, tmp_path, [["bridge", "R:9@chatroom", "lake-1", "", "", ""]], dry_run=True)
    assert ok and "试运行，未写入" in lines[0] and groups(rostered) == before


def test_every_bad_cell_and_reference_is_named_and_nothing_is_imported(rostered, tmp_path):
    before = groups(rostered)
    ok, lines = run(rostered, tmp_path, [
        ["fax", "R:1@chatroom", "lake-1", "", "", ""],
        ["bridge", "R 2", "lake-1", "", "", ""],
        ["bridge", "R:3@chatroom", "lake-1", "", "not a key!", ""],
        ["bridge", "R:4@chatroom", "lake-1", "", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", ""],
        ["bridge", "", "lake-1", "", "", ""]])
    text = "\n".join(lines)
    assert not ok and lines[-1].endswith("未导入任何数据。请改正后重新导入。")
    assert "第2行 渠道：渠道“fax”不认识" in text and "第3行 群号：群号不能含空格" in text
    assert "第4行 群机器人：群机器人应填机器人的Webhook地址" in text and "第5行 群机器人：" in text
    assert "第6行 群号：不能为空" in text
    ok, lines = run(rostered, tmp_path, [
        ["bridge", "R:1@chatroom", "nowhere", "", "", ""],
        ["bridge", "R:2@chatroom", "lake-1", "", "", ""],
        ["bridge", "R:2@chatroom", "lake-1", "", "", ""],
        ["wecom", "wrLake2", "lake-1", "", ROBOT_URL, ""]])
    text = "\n".join(lines)
    assert not ok and "第2行 网格编号：网格“nowhere”不存在（请先导入网格）" in text
    assert "第4行 群号：群“R:2@chatroom”与第3行重复" in text and "第5行 群机器人：群机器人只用于" in text
    assert groups(rostered) == before


def test_a_group_taken_out_of_config_toml_becomes_the_rosters(rostered, config, tmp_path):
    listed = config.grids[0].groups[0]
    trimmed = config.model_copy(update={"grids": [config.grids[0].model_copy(update={"groups": []}),
                                                  *config.grids[1:]]})
    with new_session(rostered) as s:
        sync_community(s, config=trimmed, now=NOW, direct=DIRECT)
        s.commit()
    ok, lines = run(rostered, tmp_path, [[listed.channel, listed.chat_id, "lake-1", "湖滨新群", "", ""]])
    assert ok, lines
    assert groups(rostered)[(listed.channel, listed.chat_id)][:2] == ("lake-1", "湖滨新群")
