"""Agreements and routines pages (/avtal/). Thin: parse input, call a selector or a
service, render. Readers: staff of the parties; editors: the document owner and the
strategy group (policies.py)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import DomainError, NotFound, PermissionDenied
from samverkan.core.forms import add_domain_error

from . import attachments, body, selectors, services, surveys
from .forms import AgreementForm, AttachmentForm, CommentForm, DecideForm
from .models import AgreementKind

NAV = "governance"


def member_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.actor.has_membership:
            return HttpResponseRedirect(reverse("web:choose_role"))
        return view(request, *args, **kwargs)

    return wrapper


def _get(actor, agreement_id, **kwargs):
    try:
        return selectors.agreement_get(actor, agreement_id, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@member_required
def index(request):
    kind = request.GET.get("sort", "")
    return render(
        request,
        "governance/index.html",
        {
            "nav": NAV,
            "agreements": selectors.agreement_list(request.actor, kind=kind),
            "kinds": AgreementKind.choices,
            "kind": kind if kind in AgreementKind.values else "",
            "may_create": selectors.may_create(request.actor),
        },
    )


def _detail_context(request, agreement, **extra):
    blocks = selectors.document(agreement)
    may_edit = selectors.may_edit(request.actor, agreement)
    return {
        "nav": NAV,
        "agreement": agreement,
        "blocks": blocks,
        "toc": body.headings(blocks),
        "links": selectors.knowledge_links(agreement),
        "comments": selectors.comments(agreement),
        "may_edit": may_edit,
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "decide_form": DecideForm(),
        "attachments": attachments.listed(agreement),
        "attachment_form": extra.pop("attachment_form", None) or AttachmentForm(),
        **extra,
    }


@member_required
def detail(request, agreement_id):
    agreement = _get(request.actor, agreement_id)
    return render(request, "governance/detail.html", _detail_context(request, agreement))


@member_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not selectors.may_create(request.actor):
        raise Http404
    form = AgreementForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.actor,
                data=form.agreement_data(),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Dokumentet är sparat som version 1."))
            return HttpResponseRedirect(reverse("governance:detail", args=[agreement.public_id]))
    return render(request, "governance/form.html", {"nav": NAV, "form": form, "agreement": None})


@member_required
@require_http_methods(["GET", "POST"])
def edit(request, agreement_id):
    agreement = _get(request.actor, agreement_id)
    if not selectors.may_edit(request.actor, agreement):
        raise Http404
    if request.method == "POST":
        form = AgreementForm(request.POST, actor=request.actor)
        if form.is_valid():
            try:
                agreement = services.agreement_update(
                    actor=request.actor,
                    agreement_id=agreement.public_id,
                    data=form.agreement_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"Ändringen är sparad som version {agreement.version}.")
                return HttpResponseRedirect(
                    reverse("governance:detail", args=[agreement.public_id])
                )
    else:
        form = AgreementForm(initial=AgreementForm.initial_for(agreement), actor=request.actor)
    return render(
        request, "governance/form.html", {"nav": NAV, "form": form, "agreement": agreement}
    )


@member_required
def history(request, agreement_id):
    agreement = _get(request.actor, agreement_id)
    return render(
        request,
        "governance/history.html",
        {"nav": NAV, "agreement": agreement, "revisions": selectors.revisions(agreement)},
    )


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@member_required
def compare(request, agreement_id):
    agreement = _get(request.actor, agreement_id)
    newer = _int(request.GET.get("till"), agreement.version)
    older = _int(request.GET.get("fran"), max(newer - 1, 1))
    try:
        comparison = selectors.compare(request.actor, agreement.public_id, older, newer)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "governance/compare.html",
        {
            "nav": NAV,
            "c": comparison,
            "agreement": agreement,
            "numbers": range(agreement.version, 0, -1),
        },
    )


@member_required
def pdf(request, agreement_id):
    """The current version as a tagged PDF (the same blocks as the page)."""
    from weasyprint import HTML

    agreement = _get(request.actor, agreement_id, action=Action.PRINT)
    blocks = selectors.document(agreement)
    html = render_to_string(
        "governance/agreement_pdf.html",
        {
            "agreement": agreement,
            "blocks": blocks,
            "toc": body.headings(blocks),
            "links": selectors.knowledge_links(agreement),
            "printed_at": timezone.now(),
            "actor": request.actor,
        },
    )
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_tags=True)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="dokument-{str(agreement.public_id)[:8]}-v{agreement.version}.pdf"'
    )
    return response


@member_required
@require_POST
def comment(request, agreement_id):
    agreement = _get(request.actor, agreement_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                actor=request.actor,
                agreement_id=agreement.public_id,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                proposed_body=form.cleaned_data["proposed_body"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Tack! Dokumentägaren får se din synpunkt."))
            return HttpResponseRedirect(
                reverse("governance:detail", args=[agreement.public_id]) + "#synpunkter"
            )
    return render(
        request,
        "governance/detail.html",
        _detail_context(request, agreement, comment_form=form),
        status=422,
    )


@member_required
@require_POST
def decide(request, agreement_id, comment_id):
    """Accept or reject a comment. Refused (no choice, no reply to a rejection): the
    page again with the choice and the reply as sent, the reason at its field."""
    agreement = _get(request.actor, agreement_id)
    form = DecideForm(request.POST, auto_id=f"d-%s-{comment_id}")
    if form.is_valid():
        try:
            services.comment_decide(
                actor=request.actor,
                agreement_id=agreement.public_id,
                comment_id=comment_id,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            raise Http404(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Svaret är sparat."))
            return HttpResponseRedirect(
                reverse("governance:detail", args=[agreement.public_id]) + "#synpunkter"
            )
    return render(
        request,
        "governance/detail.html",
        _detail_context(request, agreement, decide_form=form, decide_comment=comment_id),
        status=422,
    )


@member_required
@require_POST
def attachment_add(request, agreement_id):
    """Attach a file. Refused (empty, too big, not an allowed kind): the page again with
    the reason at the file field."""
    agreement = _get(request.actor, agreement_id)
    if not selectors.may_edit(request.actor, agreement):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachments.attachment_add(
                actor=request.actor,
                agreement_id=agreement.public_id,
                filename=upload.name,
                content=upload.read(bounds.FILE_UPLOAD_BYTES + 1),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Bilagan är sparad."))
            return HttpResponseRedirect(
                reverse("governance:detail", args=[agreement.public_id]) + "#bilagor"
            )
    return render(
        request,
        "governance/detail.html",
        _detail_context(request, agreement, attachment_form=form),
        status=422,
    )


@member_required
def attachment_download(request, agreement_id, attachment_id):
    try:
        attachment = attachments.attachment_get(request.actor, agreement_id, attachment_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
@require_POST
def attachment_remove(request, agreement_id, attachment_id):
    try:
        attachments.attachment_remove(
            actor=request.actor, agreement_id=agreement_id, attachment_id=attachment_id
        )
    except (NotFound, PermissionDenied) as exc:
        raise Http404(exc.message) from exc
    messages.success(request, gettext("Bilagan är borttagen. Den finns kvar i historiken."))
    return HttpResponseRedirect(reverse("governance:detail", args=[agreement_id]) + "#bilagor")


@login_required
def home_card(request):
    """The start page's card (loaded with htmx): the owner's reminders."""
    if not request.actor.has_membership:
        raise Http404
    return render(
        request,
        "governance/_home_card.html",
        {
            "reminders": selectors.reminders(request.actor),
            "surveys": surveys.waiting_for(request.actor),
        },
    )
