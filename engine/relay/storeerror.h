#pragma once

#include <QString>

namespace Pitwall {

// Why an EventStore call failed. Unavailable means the database cannot be reached (answer 503,
// keep the batch unacked so the forwarder resends it); Busy that another writer held the lock
// past the database's wait, so the same work can be run again; Invalid names bad input;
// NotFound an unknown stream; Failed any other database error.
struct StoreError
{
    enum class Kind { None, Unavailable, Busy, Invalid, NotFound, Failed };

    Kind kind = Kind::None;
    QString message;
};

} // namespace Pitwall
