"""What a contract's dates and value must be, from the scheme's [contracts] table.

A contract from 1900, one running to 2099 or one worth a penny is a typing slip, not a
contract: it goes onto a commissioner's work list and the public page as typed. So a start
date on or after the scheme's earliest start (default 1 January 2000: older contracts have long
ended), an end date after the start and at most ``contract_end_years_ahead`` years from today
(default 15: longer public contracts, such as PFI, are rare and can be raised in the scheme),
and a value of at least £1 and under the ceiling (default £10bn: above the largest single UK
public contract, and small enough that the register's sums of many contracts stay inside the
Numeric(14, 2) columns).

The contract form checks these to put the message on the right field; the contract service
checks them again, so no other caller can store what the form refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from charter.formatting import format_date, format_money
from charter.services.domain.periods import add_years

MIN_VALUE = Decimal(1)
END_BEFORE_START = "The end date must be after the start date"


@dataclass(frozen=True)
class ContractRules:
    earliest_start: date = date(2000, 1, 1)
    end_years_ahead: int = 15
    max_value: Decimal = Decimal(10_000_000_000)

    @classmethod
    def of(cls, scheme) -> ContractRules:
        """The rules of ``scheme``; the defaults when there is none yet."""
        if scheme is None:
            return cls()
        return cls(
            scheme.contract_earliest_start,
            scheme.contract_end_years_ahead,
            Decimal(scheme.contract_max_value),
        )

    def latest_end(self, today: date) -> date:
        return add_years(today, self.end_years_ahead)

    def start_problem(self, start: date) -> str | None:
        if start < self.earliest_start:
            return f"The start date must be on or after {format_date(self.earliest_start)}"
        return None

    def end_problem(self, start: date | None, end: date, today: date) -> str | None:
        if start is not None and end <= start:
            return END_BEFORE_START
        latest = self.latest_end(today)
        if end > latest:
            return f"The end date must be on or before {format_date(latest)}"
        return None

    def value_problem(self, value: Decimal) -> str | None:
        if value < MIN_VALUE:
            return f"The contract value must be {format_money(MIN_VALUE)} or more"
        if value >= self.max_value:
            return f"The contract value must be less than {format_money(self.max_value)}"
        return None

    def problems(self, start: date, end: date, value: Decimal, today: date) -> dict[str, str]:
        """The form field each broken rule belongs to, and its message."""
        found = {
            "start_date": self.start_problem(start),
            "end_date": self.end_problem(start, end, today),
            "value": self.value_problem(value),
        }
        return {field: message for field, message in found.items() if message}
