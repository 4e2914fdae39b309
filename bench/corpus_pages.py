"""Pages of the benchmark corpus in the sources' real formats (see demo/samples).

One function per format: the legal portal's `/api/Documents` JSON, the Kremlin's Atom
feed, a `t.me/s/<channel>` preview, RSS 2.0 with or without full text, a news article
page, and a regional site's news list and article. Each returns the body as bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from html import escape

from corpus_text import Act, Story

PRESIDENT = "225698f1-cfbc-4e42-9caa-32f9f7403211"
DECREE = "0790e34b-784b-4372-884e-3282622a24bd"
FEDERAL_LAW = "82a8bf1c-3bc7-47ed-827f-7affd43a7f27"
MOSCOW = timezone(timedelta(hours=3))

# A site's chrome around a story: menus and related links, as real article pages carry.
_MENU = "".join(
    f'<li><a href="/rubric/{number}">{name}</a></li>'
    for number, name in enumerate(
        ("Главное", "Политика", "Экономика", "Общество", "Происшествия", "Армия", "Наука",
         "Культура", "Спорт", "Туризм", "Регионы", "Мнения", "Фото", "Видео"),
    )
)  # fmt: skip
_FOOTER = (
    '<footer class="footer"><p>© Редакция, 2016–2025. Все права защищены.</p>'
    "<p>Свидетельство о регистрации СМИ. При полном или частичном использовании материалов "
    "ссылка на издание обязательна.</p><ul>"
    + "".join(f'<li><a href="/info/{n}">Раздел {n}</a></li>' for n in range(12))
    + "</ul></footer>"
)


@dataclass(frozen=True)
class Dated:
    """A story or act with where and when it was published."""

    number: int  # the source's own running number: post id, article id, eoNumber sequence
    published: date
    minute: int  # minutes after midnight, Moscow time
    path: str  # the item's address on the source's host
    story: Story | None = None
    act: Act | None = None

    @property
    def time(self) -> time:
        return time(self.minute // 60, self.minute % 60)

    @property
    def clock(self) -> str:
        return f"{self.time:%H:%M}"


def _text(item: Dated) -> Story:
    if item.story is None:
        raise ValueError(f"item {item.number} carries no story")
    return item.story


def _act(item: Dated) -> Act:
    if item.act is None:
        raise ValueError(f"item {item.number} carries no act")
    return item.act


def _headline(item: Dated) -> str:
    if item.act is not None:
        return f"{item.act.kind} «{item.act.name}»"
    return _text(item).title


def _paragraphs(item: Dated) -> list[str]:
    return item.act.paragraphs if item.act is not None else _text(item).paragraphs


def pravo_page(items: list[Dated], index: int, pages: int, total: int, size: int) -> bytes:
    """One page of `/api/Documents`, newest first."""
    rows = []
    for item in items:
        act = _act(item)
        eo = f"0001{item.published:%Y%m%d}{item.number % 10_000:04d}"
        stamp = f"{item.published.isoformat()}T00:00:00"
        rows.append(
            {
                "eoNumber": eo,
                "hasSvg": False,
                "zipFileLength": None,
                "publishDateShort": stamp,
                "complexName": act.heading,
                "pagesCount": 1,
                "pdfFileLength": 40_000 + item.number % 30_000,
                "jdRegNumber": None,
                "jdRegDate": None,
                "name": f'"{act.name}"',
                "number": act.number,
                "documentDate": f"{act.signed.isoformat()}T00:00:00",
                "signatoryAuthorityId": PRESIDENT,
                "documentTypeId": DECREE if act.kind == "Указ" else FEDERAL_LAW,
                "title": act.heading.replace("\n", "<br />"),
                "viewDate": f"{item.published:%d.%m.%Y}",
                "id": f"{item.number:08x}-3aa6-5297-9e21-f5bdd03488b3",
            }
        )
    page = {
        "items": rows,
        "itemsTotalCount": total,
        "itemsPerPage": size,
        "currentPage": index,
        "pagesTotalCount": pages,
    }
    return json.dumps(page, ensure_ascii=False).encode()


def atom_feed(items: list[Dated], title: str, next_href: str | None) -> bytes:
    """A Kremlin Atom feed page: full HTML text in `content`, Moscow time labelled +04:00."""
    entries = []
    for item in items:
        content = "".join(f"<p>{escape(p)}</p>" for p in _paragraphs(item))
        stamp = f"{item.published.isoformat()}T{item.clock}:00+04:00"
        entries.append(
            "<entry>"
            f"<title>{escape(_headline(item))}</title>"
            f'<link rel="alternate" type="text/html" href="http://kremlin.ru{item.path}"/>'
            f"<id>http://kremlin.ru{item.path}</id>"
            f"<published>{stamp}</published><updated>{stamp}</updated>"
            '<summary type="html"></summary>'
            f'<content type="html">{escape(content)}</content>'
            "</entry>"
        )
    more = f'<link rel="next" href="{escape(next_href)}"/>' if next_href else ""
    newest = items[0].published.isoformat() if items else "2016-01-01"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">'
        f"<title>{escape(title)}</title>{more}<id>http://kremlin.ru/feed</id>"
        f"<updated>{newest}T12:00:00+04:00</updated>"
        "<author><name>Президент России</name></author>" + "".join(entries) + "</feed>"
    ).encode()


def telegram_page(channel: str, title: str, posts: list[Dated], before: int | None) -> bytes:
    """A channel's preview page: posts oldest first, a «more» link to older posts."""
    blocks = []
    for item in posts:
        story = _text(item)
        text = "<br/>".join(escape(paragraph) for paragraph in story.paragraphs)
        blocks.append(
            '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            '<div class="tgme_widget_message text_not_supported_wrap js-widget_message" '
            f'data-post="{channel}/{item.number}">'
            '<div class="tgme_widget_message_user"><a href="https://t.me/'
            f'{channel}"><i class="tgme_widget_message_user_photo bgcolor1"></i></a></div>'
            '<div class="tgme_widget_message_bubble">'
            '<div class="tgme_widget_message_author accent_color">'
            f'<a class="tgme_widget_message_owner_name" href="https://t.me/{channel}">'
            f'<span dir="auto">{escape(title)}</span></a></div>'
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>'
            '<div class="tgme_widget_message_footer compact js-message_footer">'
            '<div class="tgme_widget_message_info short js-message_info">'
            f'<span class="tgme_widget_message_views">{item.number % 90 + 1}.{item.number % 10}K'
            '</span><span class="tgme_widget_message_meta">'
            f'<a class="tgme_widget_message_date" href="https://t.me/{channel}/{item.number}">'
            f'<time datetime="{item.published.isoformat()}T{item.clock}:00+00:00" class="time">'
            f"{item.clock}</time></a></span></div></div></div></div></div>"
        )
    more = (
        f'<a class="tme_messages_more js-messages_more" data-before="{before}" '
        f'href="/s/{channel}?before={before}"></a>'
        if before
        else ""
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(title)} – Telegram</title>"
        f'<meta property="og:title" content="{escape(title)}">'
        f'<link rel="canonical" href="https://t.me/s/{channel}"/></head>'
        '<body class="widget_frame_base tgme_webpage_body">'
        '<header class="tgme_header search_collapsed"><div class="tgme_header_info">'
        f'<div class="tgme_header_title">{escape(title)}</div></div></header>'
        '<main class="tgme_main"><section class="tgme_channel_history js-message_history">'
        + more
        + "".join(blocks)
        + '</section></main><aside class="tgme_right_column"><div class="tgme_channel_info">'
        f'<div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">'
        f"@{channel}</a></div>"
        '<div class="tgme_channel_info_description">Официальный канал</div></div></aside>'
        "</body></html>"
    ).encode()


def rss_feed(title: str, items: list[Dated], full_text: str | None) -> bytes:
    """RSS 2.0, newest first; with `full_text` (an element name) each item carries its story."""
    namespaces = {
        "yandex:full-text": ' xmlns:yandex="http://news.yandex.ru"',
        "rbc_news:full-text": ' xmlns:rbc_news="https://www.rbc.ru"',
        "content:encoded": ' xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    }
    rendered = []
    for item in items:
        story = _text(item)
        stamp = format_datetime(datetime.combine(item.published, item.time, MOSCOW))
        body = ""
        if full_text:
            html = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
            body = f"<{full_text}><![CDATA[{html}]]></{full_text}>"
        rendered.append(
            f"<item><title>{escape(story.title)}</title><link>{item.path}</link>"
            f"<guid>{item.path}</guid><pubDate>{stamp}</pubDate>"
            f"<description>{escape(story.paragraphs[0][:160])}</description>"
            f"<category>Общество</category>{body}</item>"
        )
    declared = namespaces.get(full_text or "", "")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0"{declared}><channel><title>{escape(title)}</title>'
        f"<link>https://example.ru</link><description>{escape(title)}</description>"
        "<language>ru</language>" + "".join(rendered) + "</channel></rss>"
    ).encode()


def article_page(item: Dated, site: str, body_class: str, related: list[Dated]) -> bytes:
    """A news site's article page: the story amid a menu, related links and a footer."""
    story = _text(item)
    paragraphs = "".join(f'<p class="article__text">{escape(p)}</p>' for p in story.paragraphs)
    links = "".join(
        f'<li><a href="{other.path}">{escape(_text(other).title)}</a></li>' for other in related
    )
    stamp = f"{item.published.isoformat()}T{item.clock}:00+03:00"
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>{escape(story.title)} - {escape(site)}</title>"
        f'<meta property="og:title" content="{escape(story.title)}">'
        f'<meta property="article:published_time" content="{stamp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        f'<nav class="main_nav"><ul>{_MENU}</ul></nav><div class="layout-article">'
        f'<div class="article"><div class="article__header"><h1 class="article__title">'
        f"{escape(story.title)}</h1>"
        f'<div class="article__info-date">{item.clock} {item.published:%d.%m.%Y}</div></div>'
        f'<div class="{body_class}">{paragraphs}</div>'
        '<div class="article__tags"><a href="/tag/obshchestvo">Общество</a>'
        '<a href="/tag/regiony">Регионы</a></div></div></div>'
        f'<aside class="related"><h3>Читайте также</h3><ul>{links}</ul></aside>'
        f"{_FOOTER}</body></html>"
    ).encode()


def news_list_page(items: list[Dated], site: str, next_href: str | None) -> bytes:
    """A regional government site's news list: date, linked title and a lead per item."""
    rows = "".join(
        '<div class="news-item">'
        f'<span class="news-date-time">{item.published:%d.%m.%Y}</span>'
        f'<a class="news-item__title" href="{item.path}">{escape(_text(item).title)}</a>'
        f'<p class="news-item__preview">{escape(_text(item).paragraphs[0][:200])}</p></div>'
        for item in items
    )
    more = f'<div class="pagination"><a href="{next_href}">Далее</a></div>' if next_href else ""
    return (
        f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Новости – '
        f"{escape(site)}</title></head><body>"
        f'<header class="site-header"><a href="/">{escape(site)}</a><ul>{_MENU}</ul></header>'
        f'<main><h1>Новости</h1><div class="news-list">{rows}</div>{more}</main>'
        f"{_FOOTER}</body></html>"
    ).encode()


def news_detail_page(item: Dated, site: str) -> bytes:
    """A regional government site's article: the story in `div.news-detail`."""
    story = _text(item)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return (
        f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>{escape(story.title)}</title></head><body>"
        f'<header class="site-header"><a href="/">{escape(site)}</a><ul>{_MENU}</ul></header>'
        f'<main><div class="news-detail"><span class="news-date-time">'
        f"{item.published:%d.%m.%Y}</span><h3>{escape(story.title)}</h3>{paragraphs}</div>"
        f'<aside class="other-news"><a href="/press/novosti/">Все новости</a></aside></main>'
        f"{_FOOTER}</body></html>"
    ).encode()
