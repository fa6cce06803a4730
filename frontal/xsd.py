"""XSD validation of every trace before it enters the vault.

One schema is compiled per family (lxml ``XMLSchema``, loaded once from the ``schemas``
package) and chosen by the event's root element. Validation sits on the hot path, so the
compiled schemas are kept and nothing is re-parsed per event.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import as_file, files

from lxml import etree
from twisted.logger import Logger

technical_log = Logger(namespace="frontal.technical")

#: Root element -> schema file.
SCHEMA_BY_EVENT: dict[str, str] = {
    **{name: "CJ.xsd" for name in (
        "OUVINFOPERSO", "CPTEREF", "PREFCPTE", "OKCONDGENE", "OUVOKCONFIRME", "ACCESREFUSE",
        "MODIFINFOPERSO", "AUTOINTERDICTION", "CLOTUREDEM", "CPTEALIM", "CPTERETRAIT",
        "CPTEABOND", "CPTEALIMOPE", "CPTEAJUSTOPE", "LOTNATURE")},
    **{name: "PASP.xsd" for name in ("PASPMISE", "PASPGAIN", "PASPANNUL")},
    **{name: "PAHI.xsd" for name in ("PAHIMISE", "PAHIGAIN", "PAHIANNUL")},
    **{name: "PO.xsd" for name in ("POINSCRIT", "POCAVE", "POPARTIE", "POGAIN", "POREVERS", "POANNUL")},
    "Lot": "Lot.xsd",
    "Validation": "Validation.xsd",
}


class TraceInvalid(ValueError):
    def __init__(self, event_name: str, reason: str) -> None:
        super().__init__(f"{event_name}: {reason}")
        self.event_name = event_name
        self.reason = reason


@lru_cache(maxsize=None)
def schema_for(file_name: str) -> etree.XMLSchema:
    resource = files("schemas") / file_name
    with as_file(resource) as path:  # includes resolve relative to the file's folder
        return etree.XMLSchema(etree.parse(str(path)))


def validate_event(element: etree._Element) -> None:
    name = element.tag if isinstance(element.tag, str) else "?"
    file_name = SCHEMA_BY_EVENT.get(name)
    if file_name is None:
        raise TraceInvalid(name, "no schema for this event")
    schema = schema_for(file_name)
    if not schema.validate(element):
        error = schema.error_log.last_error
        reason = error.message if error is not None else "invalid"
        technical_log.warn("trace refused: {event}: {reason}", event=name, reason=reason)
        raise TraceInvalid(name, reason)
