#pragma once

#include "cgrouplimits.h"
#include "helperstatus.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Pitwall {

// The one request pitwall-helper accepts on stdin — a verb, a process identity and limits,
// never a path:
//   {"verb":"apply","pid":123,"start_time":456789,
//    "limits":{"cpu_quota":200,"cpu_weight":100,"memory_limit":4096,"memory_high":3072}}
//   {"verb":"clear","pid":123,"start_time":456789}
// Transport-neutral (a KAuth front could hand over the same object). Whether the pid really is
// a live target with that start time is checked by the helper against /proc, not here.
struct HelperRequest
{
    enum class Verb { Apply, Clear };

    static constexpr qsizetype MaxBytes = 4096;
    static constexpr qint64 MaxPid = 4194304;                   // PID_MAX_LIMIT on 64-bit Linux
    static constexpr qint64 MaxStartTime = (qint64(1) << 53) - 1;  // exact in a JSON double

    Verb verb = Verb::Apply;
    int pid = 0;
    quint64 startTime = 0;  // field 22 of /proc/<pid>/stat, clock ticks after boot
    CgroupLimits limits;    // apply: at least one set; clear: none

    // Strict: a JSON object of at most MaxBytes with exactly the verb's keys, integers only.
    // On failure `error` says what is wrong and `status` is Malformed, or Refused for a
    // well-formed number out of range.
    static std::optional<HelperRequest> parse(const QByteArray &input, QString *error,
                                              HelperStatus *status);
    QJsonObject toJson() const;

    static QString verbName(Verb verb);
};

} // namespace Pitwall
