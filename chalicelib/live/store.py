"""Live sessions, their buyers (one order each) and captured comments. Key layout: docs/live.md."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.core import keys
from chalicelib.core.table import Gsi1, Gsi2, Item


class LiveSessionItem(Item):
    """pk=SHOP#<tenant>#LIVE#<id> sk=SESSION; gsi1 (SHOP#<tenant>#LIVES, created) lists a shop's
    sessions; gsi2 (LIVEPOLL#<shard>) is set only while an open session pulls a Facebook video."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_shop = Gsi1()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    polling = Gsi2()
    tenant_id = UnicodeAttribute()
    session_id = UnicodeAttribute()
    title = UnicodeAttribute()
    channel = UnicodeAttribute()
    location_id = UnicodeAttribute()
    items = UnicodeAttribute()             # JSON [{code, sku, name, attributes, unit_price}]
    hold_minutes = NumberAttribute()
    status = UnicodeAttribute()            # open | ended
    message_template = UnicodeAttribute(null=True)
    facebook_live_video_id = UnicodeAttribute(null=True)
    facebook_page_token = UnicodeAttribute(null=True)  # until the channels area holds page connections; never returned
    facebook_cursor = UnicodeAttribute(null=True)
    facebook_error = UnicodeAttribute(null=True)
    facebook_paused_until = UnicodeAttribute(null=True)  # Graph throttled us: no pull before this time
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    ended_at = UnicodeAttribute(null=True)
    version = VersionAttribute()


class LiveBuyerItem(Item):
    """pk=SHOP#<tenant>#LIVE#<id> sk=BUYER#<key>: the buyer's one order in the session and the
    new one must not exist yet (its version is absent)."""
    buyer_key = UnicodeAttribute()
    name = UnicodeAttribute()
    order_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class LiveCommentItem(Item):
    """pk=SHOP#<tenant>#LIVECOMMENT#<session>#<comment id> sk=COMMENT (put if not exists);
    gsi1 (SHOP#<tenant>#LIVE#<session>#COMMENTS, captured) feeds the live screen's `since`."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_session = Gsi1()
    comment_id = UnicodeAttribute()
    author_name = UnicodeAttribute()
    author_id = UnicodeAttribute(null=True)
    text = UnicodeAttribute()
    source = UnicodeAttribute()            # typed | facebook
    result = UnicodeAttribute()            # JSON: the answer given when it was captured
    status = UnicodeAttribute()            # captured | updated | ignored | needs_review | sold_out | resolved
    at = UnicodeAttribute()
    captured_at = UnicodeAttribute()
    version = VersionAttribute()


def get_session(tenant_id: str, session_id: str, *, consistent: bool = True) -> LiveSessionItem | None:
    try:
        return LiveSessionItem.get(*keys.live_session(tenant_id, session_id), consistent_read=consistent)
    except LiveSessionItem.DoesNotExist:
        return None


def list_sessions(tenant_id: str, limit: int) -> list[LiveSessionItem]:
    return list(LiveSessionItem.by_shop.query(keys.live_sessions(tenant_id), scan_index_forward=False, limit=limit))


def get_buyer(tenant_id: str, session_id: str, buyer_key: str) -> LiveBuyerItem | None:
    try:
        return LiveBuyerItem.get(keys.live_session(tenant_id, session_id)[0], keys.live_buyer_sk(buyer_key),
                                 consistent_read=True)
    except LiveBuyerItem.DoesNotExist:
        return None


def new_buyer(tenant_id: str, session_id: str, buyer_key: str, **attributes) -> LiveBuyerItem:
    return LiveBuyerItem(keys.live_session(tenant_id, session_id)[0], keys.live_buyer_sk(buyer_key),
                         buyer_key=buyer_key, **attributes)


def buyers(tenant_id: str, session_id: str) -> list[LiveBuyerItem]:
    return list(LiveBuyerItem.query(keys.live_session(tenant_id, session_id)[0],
                                    LiveBuyerItem.sk.startswith(keys.LIVE_BUYER_PREFIX), consistent_read=True))


def get_comment(tenant_id: str, session_id: str, comment_id: str) -> LiveCommentItem | None:
    try:
        return LiveCommentItem.get(*keys.live_comment(tenant_id, session_id, comment_id), consistent_read=True)
    except LiveCommentItem.DoesNotExist:
        return None


def new_comment(tenant_id: str, session_id: str, comment_id: str, captured_at: str, **attributes) -> LiveCommentItem:
    return LiveCommentItem(*keys.live_comment(tenant_id, session_id, comment_id), comment_id=comment_id,
                           gsi1pk=keys.live_comments(tenant_id, session_id),
                           gsi1sk=keys.by_time_sk(captured_at, comment_id), captured_at=captured_at, **attributes)


def comments_since(tenant_id: str, session_id: str, since: str | None, limit: int) -> list[LiveCommentItem]:
    """Newest first; only those captured after `since` (an ISO time)."""
    condition = LiveCommentItem.gsi1sk > f"{since}#\uffff" if since else None
    return list(LiveCommentItem.by_session.query(keys.live_comments(tenant_id, session_id), condition,
                                                 scan_index_forward=False, limit=limit))


def polling_sessions(shard: int, limit: int) -> list[LiveSessionItem]:
    return list(LiveSessionItem.polling.query(keys.live_polling(shard), limit=limit))


def comment_exists_condition():
    return LiveCommentItem.pk.does_not_exist()


def save_pull_state(tenant_id: str, session_id: str, *, cursor: str | None = None, error: str | None = None,
                    stop: bool = False, paused_until: str | None = None) -> None:
    """The puller's cursor and last error; `stop` takes the session off the polling index. Only
    these attributes change, and only on an open session (a concurrent end or PATCH is kept)."""
    from pynamodb.exceptions import UpdateError

    actions = [LiveSessionItem.facebook_error.set(error) if error else LiveSessionItem.facebook_error.remove()]
    if cursor:
        actions.append(LiveSessionItem.facebook_cursor.set(cursor))
    actions.append(LiveSessionItem.facebook_paused_until.set(paused_until) if paused_until
                   else LiveSessionItem.facebook_paused_until.remove())
    if stop:
        actions += [LiveSessionItem.gsi2pk.remove(), LiveSessionItem.gsi2sk.remove()]
    item = get_session(tenant_id, session_id)
    if item is None:
        return
    try:  # the item's version is checked and raised: a PATCH or end at this moment wins, the next pull retries
        item.update(actions=actions, condition=LiveSessionItem.status == "open")
    except UpdateError as failure:
        if "ConditionalCheckFailed" not in str(failure.cause_response_code or failure):
            raise
