"""The rule the resident pickers share with the people search: a whole ID number or
phone is searched by POST, never carried in a URL (logs, proxies, browser history)."""

SEARCH_MAX = 100  # characters of a search kept (a name, a phone, an ID as typed)
URL_REFUSED = "身份证号、手机号请在查找框中输入，不要放在网址里。"
