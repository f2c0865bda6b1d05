"""The store's tables, one migration per version (``PRAGMA user_version``), and the text
limits applied on the way in: a server's 10 MB bio is cut before it reaches the disk."""

MIGRATIONS: tuple[str, ...] = (
    # 1: everything the apps show, the outbox and sync state
    """
    CREATE TABLE people (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, handle TEXT NOT NULL, pronouns TEXT NOT NULL,
        title TEXT NOT NULL, team TEXT NOT NULL, office TEXT NOT NULL, hobbies TEXT NOT NULL,
        ask_me_about TEXT NOT NULL, started_on TEXT, bio TEXT NOT NULL, photo_url TEXT NOT NULL,
        profile_url TEXT NOT NULL, discoverable INTEGER NOT NULL, opted_out INTEGER NOT NULL DEFAULT 0,
        synced_at REAL NOT NULL, search_key TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX people_name ON people (name COLLATE NOCASE);
    CREATE TABLE photos (url TEXT PRIMARY KEY, file TEXT NOT NULL, bytes INTEGER NOT NULL, used_at REAL NOT NULL);
    CREATE TABLE posts (
        feed TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL, author_id TEXT NOT NULL,
        author_name TEXT NOT NULL, author_handle TEXT NOT NULL, author_photo_url TEXT NOT NULL,
        text TEXT NOT NULL, html TEXT NOT NULL, created_at TEXT NOT NULL, url TEXT NOT NULL,
        reply_to_id TEXT, favourited INTEGER NOT NULL, favourites INTEGER NOT NULL, mentions_me INTEGER NOT NULL,
        PRIMARY KEY (feed, id)
    );
    CREATE INDEX posts_position ON posts (feed, position);
    CREATE TABLE notices (
        id TEXT PRIMARY KEY, position INTEGER NOT NULL, kind TEXT NOT NULL, from_id TEXT NOT NULL,
        from_name TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL, post_id TEXT, url TEXT NOT NULL,
        shown_at REAL
    );
    CREATE TABLE announcements (
        id TEXT PRIMARY KEY, text TEXT NOT NULL, html TEXT NOT NULL, published_at TEXT,
        dismissed INTEGER NOT NULL DEFAULT 0, shown_at REAL
    );
    CREATE TABLE picks (person_id TEXT NOT NULL, day TEXT NOT NULL, colleague_id TEXT NOT NULL,
                        PRIMARY KEY (person_id, day));
    CREATE TABLE outbox (
        key TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, queued_at REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, delivered_at REAL, remote_id TEXT, failed TEXT
    );
    CREATE INDEX outbox_pending ON outbox (delivered_at, failed, queued_at);
    CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: who is in the office today (both apps), and the lobby's own memory (kiosk/visitors.py):
    # badges only as salted hashes, each visitor's sharing choice and private quiz streak, and
    # anonymous head counts per day
    """
    CREATE TABLE presence (day TEXT NOT NULL, handle TEXT NOT NULL, office TEXT NOT NULL, at TEXT NOT NULL,
                           PRIMARY KEY (day, handle));
    CREATE TABLE badges (hash TEXT PRIMARY KEY, colleague_id TEXT NOT NULL, linked_at REAL NOT NULL);
    CREATE TABLE visitors (
        colleague_id TEXT PRIMARY KEY, name TEXT NOT NULL, handle TEXT NOT NULL,
        sharing TEXT NOT NULL DEFAULT 'ask', asked_on TEXT, last_visit TEXT,
        quiz_streak INTEGER NOT NULL DEFAULT 0, quiz_best INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX people_handle ON people (handle);
    CREATE TABLE head_counts (day TEXT NOT NULL, office TEXT NOT NULL, visits INTEGER NOT NULL,
                              PRIMARY KEY (day, office));
    """,
    # 3: positions are text in the server's order (hallway.model.sort_key), not numbers: string
    # ids (GoToSocial's ULIDs, Akkoma's FlakeIds) sort as their server sorts them. Old numeric
    # positions are padded the same way, so nothing is fetched or notified again.
    """
    CREATE TABLE posts_v3 (
        feed TEXT NOT NULL, id TEXT NOT NULL, position TEXT NOT NULL, author_id TEXT NOT NULL,
        author_name TEXT NOT NULL, author_handle TEXT NOT NULL, author_photo_url TEXT NOT NULL,
        text TEXT NOT NULL, html TEXT NOT NULL, created_at TEXT NOT NULL, url TEXT NOT NULL,
        reply_to_id TEXT, favourited INTEGER NOT NULL, favourites INTEGER NOT NULL, mentions_me INTEGER NOT NULL,
        PRIMARY KEY (feed, id)
    );
    INSERT INTO posts_v3 SELECT feed, id, printf('%032d', position), author_id, author_name, author_handle,
        author_photo_url, text, html, created_at, url, reply_to_id, favourited, favourites, mentions_me FROM posts;
    DROP TABLE posts;
    ALTER TABLE posts_v3 RENAME TO posts;
    CREATE INDEX posts_position ON posts (feed, position);
    CREATE TABLE notices_v3 (
        id TEXT PRIMARY KEY, position TEXT NOT NULL, kind TEXT NOT NULL, from_id TEXT NOT NULL,
        from_name TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL, post_id TEXT, url TEXT NOT NULL,
        shown_at REAL
    );
    INSERT INTO notices_v3 SELECT id, printf('%032d', position), kind, from_id, from_name, text, created_at,
        post_id, url, shown_at FROM notices;
    DROP TABLE notices;
    ALTER TABLE notices_v3 RENAME TO notices;
    """,
    # 4: presence is keyed by the person's account id (Colleague.id), never a handle read from
    # text; the week kept is refilled from the network at the next sync
    """
    DROP TABLE presence;
    CREATE TABLE presence (day TEXT NOT NULL, colleague_id TEXT NOT NULL, office TEXT NOT NULL, at TEXT NOT NULL,
                           PRIMARY KEY (day, colleague_id));
    """,
    # 5: what the connector knows of each profile's version (Matrix: the member event and when the
    # profile fields were last asked), so a directory refresh asks only for what changed
    """
    ALTER TABLE people ADD COLUMN version TEXT NOT NULL DEFAULT '';
    """,
    # 6: the colleague of the day the kiosk showed, as a shared check-in says (hallway.picker)
    """
    ALTER TABLE presence ADD COLUMN met TEXT NOT NULL DEFAULT '';
    """,
    # 7: the conversation a notice belongs to, so a thread's notifications are one (desktop.parts.alerts);
    # a person's work address, for coffee invitations (desktop.parts.coffee)
    """
    ALTER TABLE notices ADD COLUMN thread_id TEXT;
    ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
    """,
    # 8: boosts (Mastodon's reblogs): whether the person boosted a post, how often it was, and a
    # row that is someone's boost of another post
    """
    ALTER TABLE posts ADD COLUMN boosted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE posts ADD COLUMN boosts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE posts ADD COLUMN boost_of TEXT;
    ALTER TABLE posts ADD COLUMN boosted_by TEXT NOT NULL DEFAULT '';
    """,
    # 9: the office week: the days each colleague shared they plan to be in (ISO dates), and the
    # colleagues the person starred
    """
    ALTER TABLE people ADD COLUMN office_days TEXT NOT NULL DEFAULT '';
    CREATE TABLE stars (person_id TEXT PRIMARY KEY, starred_at REAL NOT NULL);
    """,
    # 10: celebrations: a birthday's month and day ("05-12", never the year) and the person's yes
    """
    ALTER TABLE people ADD COLUMN birthday TEXT NOT NULL DEFAULT '';
    ALTER TABLE people ADD COLUMN celebrate INTEGER NOT NULL DEFAULT 0;
    """,
    # 11: quiz plays and right answers in the anonymous head counts, for `hallway report`
    """
    ALTER TABLE head_counts ADD COLUMN quiz_plays INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE head_counts ADD COLUMN quiz_right INTEGER NOT NULL DEFAULT 0;
    """,
    # 12: a reply in a thread (its reply_to_id is the thread's root), and the replies a post has,
    # found by what they answer
    """
    ALTER TABLE posts ADD COLUMN in_thread INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX posts_reply_to ON posts (reply_to_id);
    """,
    # 13: answers kept with their validators, so a restart asks "changed since?" (store/kept.py)
    """
    CREATE TABLE kept_answers (key TEXT PRIMARY KEY, etag TEXT, modified TEXT, body BLOB NOT NULL,
                               bytes INTEGER NOT NULL, used_at REAL NOT NULL, checked_at REAL NOT NULL);
    """,
    # 14: when each photo was fetched: one at an address that stays when the photo changes
    # (Microsoft Graph's) is fetched again after a while (store/photos.py)
    """
    ALTER TABLE photos ADD COLUMN fetched_at REAL NOT NULL DEFAULT 0;
    UPDATE photos SET fetched_at = used_at;
    """,
    # 15: one name per feature in every network's words: a like (Mastodon's favourite, Matrix's
    # reaction) and a share (Mastodon's boost), in the posts, the notices and the outbox's queue
    """
    ALTER TABLE posts RENAME COLUMN favourited TO liked;
    ALTER TABLE posts RENAME COLUMN favourites TO likes;
    ALTER TABLE posts RENAME COLUMN boosted TO shared;
    ALTER TABLE posts RENAME COLUMN boosts TO shares;
    ALTER TABLE posts RENAME COLUMN boost_of TO share_of;
    ALTER TABLE posts RENAME COLUMN boosted_by TO shared_by;
    UPDATE notices SET kind = 'like' WHERE kind = 'favourite';
    UPDATE outbox SET kind = 'share' WHERE kind = 'boost';
    """,
)

TEXT_CAPS = {"name": 200, "handle": 200, "pronouns": 40, "title": 200, "team": 200, "office": 200,
             "ask_me_about": 500, "bio": 2000}

