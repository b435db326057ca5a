"""The automation catalogue names only facts the triggers really carry."""

from engine import automation
from store.automation import facts
from store.models import Account, Campaign, Contact, Lead, Order

RECORDS = {
    "contact": Contact,
    "account": Account,
    "campaign": Campaign,
    "lead": Lead,
    "order": Order,
}


def test_every_catalogue_field_is_a_column_of_its_record() -> None:
    for record_type, fields in automation.RECORD_FIELDS.items():
        columns = facts(RECORDS[record_type]())
        missing = [f.name for f in fields if f.name not in columns]
        assert missing == [], record_type
    for record_type, settable in automation.UPDATABLE.items():
        assert settable <= set(facts(RECORDS[record_type]())), record_type
