"""The forms a page shows, read from its HTML the way a browser would submit them."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FREE_TEXT_TYPES = {"text", "search", "email", "tel", "url", "password", "number", None}


@dataclass
class PageForm:
    action: str
    method: str
    data: dict[str, list[str]] = field(default_factory=dict)
    free_text: list[str] = field(default_factory=list)  # names of text inputs and text areas

    def with_value(self, name: str, value: str) -> dict[str, list[str]]:
        return {**self.data, name: [value]}


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self._form, self._textarea, self._select = page_url, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, attrs.get("action") or self.page_url))
            self._form = PageForm(
                action.path + (f"?{action.query}" if action.query else ""), attrs.get("method", "get").lower()
            )
            self.forms.append(self._form)
        elif self._form is None or "name" not in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "image", "reset"):
                return
            self._form.data.setdefault(attrs["name"], []).append(attrs.get("value") or "")
            if kind in FREE_TEXT_TYPES and kind != "number":
                self._form.free_text.append(attrs["name"])
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form.data[self._textarea] = [""]
            self._form.free_text.append(self._textarea)
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and ("selected" in attrs or self._select not in self._form.data):
            self._form.data[self._select] = [attrs.get("value", "")]

    def handle_data(self, data):
        if self._textarea:
            self._form.data[self._textarea] = [self._form.data[self._textarea][0] + data]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms_on(page: str, page_url: str) -> list[PageForm]:
    parser = _FormParser(page_url)
    parser.feed(page)
    return [form for form in parser.forms if form.method == "post"]
