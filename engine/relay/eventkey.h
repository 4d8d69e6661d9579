#pragma once

#include <QHashFunctions>
#include <QtGlobal>

namespace Pitwall {

// Position of an event within its stream: (stream_epoch, seq), the dedup key together with the
// stream. Orders by epoch first.
struct EventKey
{
    qint64 epoch = 0;
    qint64 seq = 0;

    friend bool operator==(const EventKey &, const EventKey &) = default;
    friend auto operator<=>(const EventKey &, const EventKey &) = default;
};

inline size_t qHash(const EventKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.epoch, key.seq);
}

} // namespace Pitwall
