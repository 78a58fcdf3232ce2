"""The call list: who to call, in which order, on which numbers.

What someone needs in the first minutes of a crisis, read straight from the
plan without any network: the activation call order with every holder
(primary first, deputies after) and their numbers, the external partners to
alert after them, then the composition of each crisis staff. A gap (a holder
id that names nobody, a holder without a number, a role nobody in it can be
reached in) is shown in the list where it is (`build`).

Formats: plain text and JSON (`words`), a one-page printable list as HTML or
PDF (`printable`), and vCards for phones (`vcard`). `audience="public"`
leaves out private numbers and e-mail addresses.
"""
from .build import AUDIENCES, CallList, call_list  # noqa: F401
from .words import as_text  # noqa: F401
