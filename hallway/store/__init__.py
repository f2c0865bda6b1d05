"""The local copy: one SQLite file that both apps draw from, so screens are instant and
survive the network going away.

The store owns every table and every SQL statement: the rest of Hallway calls methods named
for what they mean. One module per concern (``database`` is the file, its writer and its
readers; the others one set of tables each), put together as ``Store``.
"""

from hallway.store.database import (
    DATA_DIR_ENV,
    LOCK_WAIT_S,
    RECOVERED_STATE,
    DiskFull,
    StoreDamaged,
    StoreFault,
    StoreLocked,
    StoreReadOnly,
    default_path,
    default_photo_dir,
    holders_of,
)
from hallway.store.kept import KeptAnswers
from hallway.store.lobby import Lobby, Sharing, Visitor
from hallway.store.markers import Markers
from hallway.store.notices import Notices
from hallway.store.people import People, fold
from hallway.store.photos import Photos
from hallway.store.picks import Picks
from hallway.store.posts import Posts
from hallway.store.presence import Presences
from hallway.store.queued import QueuedWrite, QueuedWrites
from hallway.store.schema import MIGRATIONS, TEXT_CAPS


class Store(People, Posts, Notices, Markers, Picks, Presences, Photos, QueuedWrites, Lobby, KeptAnswers):
    """The SQLite file, opened once per process (see ``database.Database`` for how)."""


__all__ = ["DATA_DIR_ENV", "LOCK_WAIT_S", "MIGRATIONS", "RECOVERED_STATE", "TEXT_CAPS", "DiskFull", "QueuedWrite",
           "Sharing", "Store", "StoreDamaged", "StoreFault", "StoreLocked", "StoreReadOnly", "Visitor",
           "default_path", "default_photo_dir", "fold", "holders_of"]
