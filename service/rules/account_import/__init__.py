"""Whole-account import: the document, its validation, and the diff against what is stored."""

from service.rules.account_import.document import AccountDocument
from service.rules.account_import.plan import ImportPlan, plan_import
from service.rules.account_import.stored import StoredAccountState
from service.rules.account_import.validate import effective_at_problems, validate_document

__all__ = [
    "AccountDocument",
    "ImportPlan",
    "StoredAccountState",
    "effective_at_problems",
    "plan_import",
    "validate_document",
]
