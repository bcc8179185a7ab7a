"""Submit admin forms over HTTP as a browser would: read the form, change some fields, post it."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """The values a browser would submit from the admin's change form (<form id="…_form">)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._in_form = self._done = False
        self._select = self._textarea = None
        self._text = []
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        # Not the header's logout form, also a POST form: the change form's id ends in _form.
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = {"name": name, "chosen": [], "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = value
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "select" and self._select is not None:
            name, chosen = self._select["name"], self._select["chosen"]
            self.fields.extend((name, v or "") for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_fields(html: str) -> list[tuple[str, str]]:
    reader = _FormReader()
    reader.feed(html)
    return reader.fields


def submit(client, url: str, changes: dict[str, str], button: str = "_save"):
    """GET the admin form at ``url``, apply ``changes``, POST it back; returns the response."""
    page = client.get(url)
    assert page.status_code == 200, url
    fields = [(k, v) for k, v in form_fields(page.content.decode()) if k not in changes]
    data: dict[str, list[str]] = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    for key, value in changes.items():
        data[key] = [value]
    data[button] = ["Save"]
    return client.post(url, data)


class _FormScraper(HTMLParser):
    """What a browser would submit from the admin's main form, as the page was served."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_data(response, **changes) -> dict:
    """The POST data of the page's form, with ``changes`` applied (as a crafted request could)."""
    scraper = _FormScraper()
    scraper.feed(response.content.decode())
    data = {k: (v if len(v) != 1 else v[0]) for k, v in scraper.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    data = {k: v for k, v in data.items() if v != []}
    data.update(changes)
    return data
