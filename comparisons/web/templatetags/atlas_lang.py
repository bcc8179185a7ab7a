"""Language marks for mixed text: Chinese titles and terms inside English sentences.

Screen readers pick a voice, and browsers a font, from ``lang``. The atlas writes in English but
quotes Chinese titles (“AI Safety Governance Framework 2.0 (人工智能安全治理框架 2.0)”), so each run
of Chinese characters gets its own ``<span lang="zh">``.
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# CJK ideographs, CJK punctuation and full-width forms, with the spaces and digits between them.
CHINESE_RUN = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
    r"(?:[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef0-9 .]*"
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef0-9])?"
)


@register.filter(needs_autoescape=True)
def mark_chinese(value, autoescape=True) -> str:
    """Escape ``value`` and wrap each run of Chinese text in ``<span lang="zh">``."""
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(CHINESE_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', text))
