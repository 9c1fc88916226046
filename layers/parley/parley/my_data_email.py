"""The email with a reader's link to their own data (asked for on /api/me)."""

from html import escape
from urllib.parse import quote

from parley.email_content import BUTTON, page
from parley.queue_messages import DataRequest
from parley.ses import OutgoingEmail
from parley.settings import Settings


def data_link(message: DataRequest, reader_key: str, token: str, settings: Settings) -> OutgoingEmail:
    link = f"{settings.links_base(message.api_url)}/api/me/data?token={quote(token, safe='')}"
    subject = "Your comments and subscriptions"
    text = (
        f"Someone (we hope you) asked to see what {settings.site_origin} keeps about this address.\n\n"
        f"Open this link within an hour to see, download or delete your comments and subscriptions:\n{link}\n\n"
        "If it was not you, ignore this email: nothing changes unless the link is used."
    )
    html = page(
        subject,
        f"<p>Someone (we hope you) asked to see what {escape(settings.site_origin)} keeps about this address.</p>"
        f'<p><a href="{escape(link)}" style="{BUTTON}">See your comments and subscriptions</a></p>'
        "<p>The link works for an hour. There you can download your data or delete it. If it was not "
        "you, ignore this email: nothing changes unless the link is used.</p>",
    )
    return OutgoingEmail(
        idempotency_key=f"my_data:{reader_key}:{message.requested_at.isoformat()}",
        to=message.to,
        subject=subject,
        text=text,
        html=html,
    )
