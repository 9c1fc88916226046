"""The email with a reader's link to their own data (asked for on /api/me), in the asker's language."""

from html import escape
from urllib.parse import urlencode

from parley.catalogs import Texts
from parley.email_content import BUTTON, page
from parley.queue_messages import DataRequest
from parley.ses import OutgoingEmail
from parley.settings import Settings


def data_link(message: DataRequest, reader_key: str, token: str, settings: Settings) -> OutgoingEmail:
    say = Texts(message.lang, "myData")
    query = urlencode({"token": token, "lang": message.lang})
    link = f"{settings.links_base(message.api_url)}/api/me/data?{query}"
    subject = say("title")
    text = (
        f"{say('emailIntro', site=settings.site_origin)}\n\n"
        f"{say('emailOpen')}\n{link}\n\n"
        f"{say('emailIgnore')}"
    )
    html = page(
        subject,
        f"<p>{escape(say('emailIntro', site=settings.site_origin))}</p>"
        f'<p><a href="{escape(link)}" style="{BUTTON}">{escape(say("emailButton"))}</a></p>'
        f"<p>{escape(say('emailHours'))} {escape(say('emailIgnore'))}</p>",
        message.lang,
    )
    return OutgoingEmail(
        idempotency_key=f"my_data:{reader_key}:{message.requested_at.isoformat()}",
        to=message.to,
        subject=subject,
        text=text,
        html=html,
    )
