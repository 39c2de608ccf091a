"""The text a notice's people will read (seed §14), for every tool that shows a notice before it goes (the
operator CLI, the console): the notifier's own template rendered by the notifier's own preview with the notice's
values, so what is shown is what is sent."""

from platform_shared.client.notifier import NotifierClient
from platform_shared.contracts.admin.notices import NoticeIn
from platform_shared.contracts.admin.notifier import TemplatePreviewIn


def rendered_text(notifier: NotifierClient, notice: NoticeIn) -> str | None:
    """The notifier's template in the notice's language (Korean when it has none in it), rendered with the
    notice's parameters by the notifier's preview (instants in KST, as a send shows them). None when the notifier
    has no such template."""
    locale = notice.locale or "ko"
    bodies = {(t.name, t.locale): t.body for t in notifier.templates()}
    template = bodies.get((notice.template, locale)) or bodies.get((notice.template, "ko"))
    if template is None:
        return None
    preview = TemplatePreviewIn(body=template, locale=locale, params=dict(notice.params))
    return notifier.preview_template(notice.template, preview).text
