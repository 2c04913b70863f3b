"""``{% meeting_page_cache "part" %}...{% end_meeting_page_cache %}``: the enclosed
template, cached under the meeting's version for the user (``meetings/page_cache.py``).

The view puts ``meeting`` (read with its board) and ``page_builder`` (a callable
returning the context the enclosed template needs, run only on a miss) in the
context; the entry lasts until ``page.valid_until`` from that context."""

from django import template

from .. import page_cache

register = template.Library()


class MeetingPageCacheNode(template.Node):
    def __init__(self, part, nodelist):
        self.part = part
        self.nodelist = nodelist

    def render(self, context):
        request = context.request
        part = self.part.resolve(context)
        cache_key = page_cache.key(
            part, context["meeting"], request.user, context.get("page_cache_vary", "")
        )
        html = page_cache.get(cache_key)
        if html is None:
            built = context["page_builder"]()
            with context.push(**built, **page_cache.RENDER_WITH):
                html = self.nodelist.render(context)
            page_cache.put(cache_key, html, built["page"].valid_until)
        return page_cache.fill(html, request)


@register.tag
def meeting_page_cache(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            "meeting_page_cache takes one argument: the part's name"
        )
    nodelist = parser.parse(("end_meeting_page_cache",))
    parser.delete_first_token()
    return MeetingPageCacheNode(parser.compile_filter(bits[1]), nodelist)
