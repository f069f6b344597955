"""The plan as an HL7 FHIR R4 CarePlan, so it can travel to regional systems.

Built and validated with ``fhir.resources`` (its ``R4B`` package: CarePlan and Goal are
unchanged between R4 and R4B, so the document is valid R4; see ADR 0040). Needs become
``CarePlan.addresses``-less notes (they are not diagnoses), goals are contained ``Goal``
resources, efforts ``activity.detail`` with the responsible organisation as performer.
The child is referenced by personnummer (the Swedish national identifier system)."""

from __future__ import annotations

from django.utils import timezone
from fhir.resources.R4B.careplan import CarePlan

from .models import PlanStatus

PERSONNUMMER_SYSTEM = "http://electronichealth.se/identifier/personnummer"
SAMORDNINGSNUMMER_SYSTEM = "http://electronichealth.se/identifier/samordningsnummer"
PLAN_ID_SYSTEM = "urn:samverkan:sip"

_STATUS = {
    PlanStatus.CALLED: "draft",
    PlanStatus.ACTIVE: "active",
    PlanStatus.CLOSED: "completed",
}
_ACTIVITY_STATUS = {"not_started": "not-started", "ongoing": "in-progress", "done": "completed"}


def _org(ref_id, name: str) -> dict:
    return {"reference": f"#org-{ref_id}", "display": name}


def care_plan(view) -> CarePlan:
    """A validated CarePlan for the plan's latest version (raises on invalid data)."""
    plan, c = view.plan, view.content
    child = plan.child
    contained = []
    org_names = {o.organisation_id: o.organisation.name for o in view.organisations}
    for org_id, name in org_names.items():
        contained.append({"resourceType": "Organization", "id": f"org-{org_id}", "name": name})
    goals = []
    if c.get("long_term_goal"):
        goals.append(("long", c["long_term_goal"]))
    goals += [("short", g) for g in c.get("short_term_goals", [])]
    patient_ref = {
        "identifier": {
            "system": SAMORDNINGSNUMMER_SYSTEM
            if int(str(child.personal_number)[6:8]) > 60
            else PERSONNUMMER_SYSTEM,
            "value": str(child.personal_number),
        },
        "display": child.full_name,
    }
    for index, (kind, text) in enumerate(goals):
        contained.append(
            {
                "resourceType": "Goal",
                "id": f"goal-{index}",
                "lifecycleStatus": "active",
                "description": {"text": text},
                "subject": patient_ref,
                "category": [{"text": "Långsiktigt mål" if kind == "long" else "Kortsiktigt mål"}],
            }
        )
    activities = []
    for e in c.get("efforts", []):
        detail = {
            "status": _ACTIVITY_STATUS.get(e.get("status"), "unknown"),
            "description": e["title"],
            "performer": [_org(e["organisation_id"], e["organisation_name"])],
        }
        if e.get("starts_on") or e.get("ends_on"):
            period = {}
            if e.get("starts_on"):
                period["start"] = e["starts_on"]
            if e.get("ends_on"):
                period["end"] = e["ends_on"]
            detail["scheduledPeriod"] = period
        activities.append(
            {"detail": detail, "progress": [{"text": f"Ansvarig: {e['responsible']}"}]}
        )
    notes = [{"text": f"Behov: {need}"} for need in c.get("needs", [])]
    for key, label in [
        ("others_do", "Vad andra än kommun och region gör"),
        ("disagreements", "Oenighet"),
        ("child_words", "Barnets egna ord"),
        ("participants", "Deltagare"),
        ("coordinator_name", "Samordnare"),
        ("follow_up_on", "Uppföljning"),
    ]:
        if c.get(key):
            notes.append({"text": f"{label}: {c[key]}"})
    data = {
        "resourceType": "CarePlan",
        "id": str(plan.public_id),
        "meta": {"versionId": str(plan.version)},
        "identifier": [{"system": PLAN_ID_SYSTEM, "value": str(plan.public_id)}],
        "status": _STATUS[plan.status],
        "intent": "plan",
        "category": [{"text": "Samordnad individuell plan (SIP)"}],
        "title": f"SIP för {child.full_name}",
        "description": plan.question,
        "subject": patient_ref,
        "created": plan.created_at.isoformat(),
        "author": _org(plan.started_by_organisation_id, plan.started_by_organisation.name),
        "contributor": [_org(o, n) for o, n in org_names.items()],
        "contained": contained,
        "goal": [{"reference": f"#goal-{i}"} for i in range(len(goals))],
        "activity": activities,
        "note": notes,
    }
    responsible = c.get("responsible_organisation_id")
    team = [
        {
            "role": [{"text": "Huvudansvar" if org_id == responsible else "Deltagande verksamhet"}],
            "member": _org(org_id, name),
        }
        for org_id, name in org_names.items()
    ]
    if c.get("coordinator_name"):
        team.append(
            {"role": [{"text": "Samordnare"}], "member": {"display": c["coordinator_name"]}}
        )
    contained.append(
        {"resourceType": "CareTeam", "id": "team", "name": "SIP-deltagare", "participant": team}
    )
    data["careTeam"] = [{"reference": "#team"}]
    if responsible:
        data["author"] = _org(responsible, c.get("responsible_organisation_name", ""))
    data["period"] = {"start": timezone.localdate(plan.created_at).isoformat()}
    if plan.closed_at:
        data["period"]["end"] = timezone.localdate(plan.closed_at).isoformat()
    return CarePlan.model_validate(data)


def care_plan_json(view) -> str:
    return care_plan(view).model_dump_json(exclude_none=True)
