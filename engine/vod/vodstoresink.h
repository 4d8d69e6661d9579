#pragma once

#include "vod/catalogsink.h"

namespace Pitwall {

class Database;

// The catalog sink of the real queue: VodStore::upsertDiscovered on the calling thread's
// connection (new rows queued, known ones left as they are). database must outlive the sink.
CatalogSink vodStoreSink(const Database &database);

} // namespace Pitwall
