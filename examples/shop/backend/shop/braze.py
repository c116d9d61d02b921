"""Order service: sends orders and CRM updates to Braze's /users/track endpoint."""

from __future__ import annotations

import httpx

ORDER_COMPLETED = "order_completed"
ORDER_REFUNDED = "order_refunded"


def track(payload: dict) -> None:
    httpx.post("https://rest.iad-01.braze.com/users/track", json=payload, timeout=10)


def order_completed(user_id: str, order_id: str, total: float, items: int, express: bool) -> None:
    track(
        {
            "events": [
                {
                    "external_id": user_id,
                    "name": ORDER_COMPLETED,
                    "time": "2026-01-01T00:00:00Z",
                    "properties": {
                        "order_id": order_id,
                        "order_total": total,
                        "item_count": items,
                        "shipping": {"country": "FR", "express": express},
                    },
                }
            ],
            "attributes": [
                {
                    "external_id": user_id,
                    "lifetime_orders": {"inc": 1},
                    "lifetime_value": total,
                    "last_order_at": "2026-01-01T00:00:00Z",
                }
            ],
        }
    )


def order_refunded(user_id: str, order_id: str, amount: float) -> None:
    track(
        {
            "events": [
                {
                    "external_id": user_id,
                    "name": ORDER_REFUNDED,
                    "time": "2026-01-01T00:00:00Z",
                    "properties": {"order_id": order_id, "refund_amount": amount, "reason_code": "late"},
                }
            ]
        }
    )


def crm_sync(user_id: str, tier: str, referrer_id: str | None) -> None:
    track(
        {
            "attributes": [
                {
                    "external_id": user_id,
                    "vip_tier": tier,
                    # Deliberate mistake: a quoted number for an integer attribute (COD009).
                    "lifetime_orders": "12",
                }
            ],
            "events": [
                {
                    "external_id": user_id,
                    "name": "referral_redeemed",
                    "time": "2026-01-01T00:00:00Z",
                    "properties": {"referrer_id": referrer_id},
                }
            ],
        }
    )
