#pragma once

#include "relay/storeerror.h"

#include <QString>

#include <optional>

namespace Pitwall {

class Database;

// One channel's moving averages of cycle times (research §1.10), in kv as integer-millisecond
// strings: avg_download_ms, avg_upload_ms, avg_total_ms. The first sample is the value, then
// each sample moves it by weight: 0.2 * sample + 0.8 * average, as the existing service does, so
// the numbers compare.
class TimingAverages final
{
public:
    enum class Kind { Download, Upload, Total };

    struct Values
    {
        std::optional<qint64> downloadMs;
        std::optional<qint64> uploadMs;
        std::optional<qint64> totalMs;
    };

    static constexpr double weight = 0.2;

    // "avg_download_ms", "avg_upload_ms", "avg_total_ms".
    static QString key(Kind kind);
    // The next average, rounded to the nearest millisecond like Go's %.0f (a blend of two
    // integers is a multiple of 0.2, so there is never a tie to break).
    static qint64 blend(std::optional<qint64> average, qint64 sampleMs);

    TimingAverages(const Database &database, const QString &channel);

    // Folds a sample (negative ones count as 0) into the stored average; the new average.
    std::optional<qint64> record(Kind kind, qint64 sampleMs, StoreError *error) const;
    // The stored averages; absent (or unreadable) values are std::nullopt.
    std::optional<Values> read(StoreError *error) const;

private:
    const Database &m_database;
    const QString m_channel;
};

} // namespace Pitwall
