"""Follow-up visits (回访): ``timers.followup_days`` after a dispute is resolved the reporter is asked in a
direct chat whether it is solved and how satisfied they are. The survey is a row with a state and an
expiry; 不满意 reopens the case, 满意/基本满意 close it (the officer holding it is told either way); no answer in time → a visit task for the grid worker."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from handlers import texts
from handlers.cases import flow as case_flow
from handlers.cases.view import local_time, type_name
from handlers.context import Context
from handlers.privacy import for_reader
from handlers.router import Router
from handlers.routines import notify
from storage import cases, members, surveys
from storage.models import Case, Person, Role, Status, Survey, VisitTask


def send_surveys(session: Session, *, config: Any, now: datetime) -> int:
    due = cases.resolved_without_survey(session, resolved_before=now - timedelta(days=config.timers.followup_days))
    view = notify.View(session, config)
    done = 0
    for case in due:
        reporter = view.person(case.reporter_id)
        if reporter is None or reporter.role != Role.RESIDENT:
            continue
        survey = Survey(case_id=case.id, person_id=reporter.id, resolved_at=case.resolved_at, asked_at=now,
                        expires_at=now + timedelta(hours=config.timers.followup_answer_hours))
        session.add(survey)
        session.flush()
        text = texts.SURVEY_QUESTION.format(case=case.id, type=type_name(case), outcome=case.outcome or "",
                                            date=local_time(view, case.resolved_at)[:10])
        notify.tell(session, now=now, person=reporter, text=text, key=f"survey-{survey.id}", kind="survey",
                    case_id=case.id)
        cases.record_event(session, case=case, now=now, actor_id="gridbot", action="survey_sent",
                           detail=texts.SURVEY_SENT_EVENT)
        done += 1
    return done


def expire_surveys(session: Session, *, config: Any, now: datetime) -> int:
    view = notify.View(session, config)
    done = 0
    for survey in surveys.expired_surveys(session, now=now):
        survey.state = "expired"
        session.add(survey)
        case = cases.get_case(session, case_id=survey.case_id, for_update=True)
        worker = _grid_worker(session, config=config, case=case)
        task = VisitTask(case_id=case.id, survey_id=survey.id, worker_id=worker.id if worker else None,
                         created_at=now)
        session.add(task)
        reporter, reader = view.person(case.reporter_id), worker or view.person(case.assignee_id)
        text = texts.VISIT_TASK.format(case=case.id, type=type_name(case), reporter=reporter.name if reporter else texts.NOBODY,
                                       hours=config.timers.followup_answer_hours, building=case.building or texts.NOBODY,
                                       text=for_reader(case.text, reader))
        notify.tell(session, now=now, person=reader, text=text,
                    key=f"visit-{survey.id}", kind="notice", case_id=case.id)
        cases.record_event(session, case=case, now=now, actor_id="gridbot", action="visit_task",
                           detail=texts.VISIT_EVENT.format(worker=worker.name if worker else texts.NOBODY))
        done += 1
    return done


def _grid_worker(session: Session, *, config: Any, case: Case) -> Person | None:
    rows = members.members_of(session, grid_id=case.grid_id, duty="worker") if case.grid_id else []
    workers = [session.get(Person, row.person_id) for row in rows]
    return next((w for w in workers if w is not None), None)


def parse_answer(text: str) -> str | None:
    """'不满意' / '3' → 'unsatisfied' …; None when the text is not an answer."""
    text = text.strip().strip("。.!！ ")
    for word, value in texts.SURVEY_CHOICES.items():  # longest words first in the table
        if text.startswith(word) or (len(word) > 1 and word in text):
            return value
    return None


router = Router("followup")


@router.conversation("survey")
def on_survey_answer(ctx: Context) -> bool:
    """A resident's direct message while a survey waits for them; True when it was taken as the answer."""
    if not ctx.message.is_direct or ctx.sender.role != Role.RESIDENT:
        return False
    survey = surveys.open_survey_for(ctx.session, person_id=ctx.sender.id, now=ctx.now)
    if survey is None:
        return False
    value = parse_answer(ctx.message.text)
    if value is None:
        if len(ctx.message.text.strip()) <= 6:
            ctx.reply(texts.SURVEY_REPEAT.format(case=survey.case_id))
            return True
        return False
    survey.state, survey.answer, survey.satisfaction, survey.answered_at = "answered", ctx.message.text, value, ctx.now
    ctx.session.add(survey)
    case = cases.get_case(ctx.session, case_id=survey.case_id, for_update=True)
    case.satisfaction = value
    answer = texts.SATISFACTION_NAMES[value]
    cases.record_event(ctx.session, case=case, now=ctx.now, actor_id=ctx.sender.id, action="survey_answered",
                       detail=texts.SURVEY_EVENT.format(answer=answer))
    if value == "unsatisfied":
        _reopen(ctx, case, answer)
    elif case.status == Status.RESOLVED:
        case_flow.close(ctx.session, case=case, actor_id="gridbot", now=ctx.now, outcome="")
        ctx.reply(texts.SURVEY_THANKS.format(answer=answer, case=case.id))
        ctx.tell(ctx.person(case.assignee_id), texts.SURVEY_CLOSED_NOTICE.format(
            case=case.id, type=type_name(case), reporter=ctx.sender.name, answer=answer), kind="notice", case_id=case.id)
    return True


def _reopen(ctx: Context, case: Case, answer: str) -> None:
    officer = ctx.person(case.assignee_id)
    case_flow.reopen(ctx.session, case=case, actor_id="gridbot", now=ctx.now,
                     reason=texts.SURVEY_EVENT.format(answer=answer))
    ctx.tell(officer, texts.SURVEY_UNSATISFIED_ALERT.format(case=case.id, reporter=ctx.sender.name,
                                                            answer=for_reader(ctx.message.text, officer)),
             case_id=case.id)
    ctx.reply(texts.SURVEY_SORRY.format(case=case.id, officer=officer.name if officer else texts.DUTY_OFFICER_NAME))
