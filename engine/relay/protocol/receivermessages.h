#pragma once

#include "relay/protocol/protocoltypes.h"

#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

#include <variant>

namespace Pitwall {

// Messages of the receiver endpoints (research §1.8 v1.2, §1.10 legacy v1).

// receiver_hello_v12 `mode`, tagged by its own `mode` field.
struct LiveMode
{
    static constexpr QLatin1StringView mode{"live"};

    QList<StreamRef> streams;
    QList<EarliestEpochOverride> earliestEpochs; // optional on the wire, omitted when empty

    friend bool operator==(const LiveMode &, const LiveMode &) = default;
};

struct RaceMode
{
    static constexpr QLatin1StringView mode{"race"};

    QString raceId; // a UUID when valid; an invalid one resolves to zero streams, not an error

    friend bool operator==(const RaceMode &, const RaceMode &) = default;
};

struct TargetedReplayMode
{
    static constexpr QLatin1StringView mode{"targeted_replay"};

    QList<ReplayTarget> targets;

    friend bool operator==(const TargetedReplayMode &, const TargetedReplayMode &) = default;
};

using ReceiverMode = std::variant<LiveMode, RaceMode, TargetedReplayMode>;

struct ReceiverHelloV12
{
    static constexpr QLatin1StringView kind{"receiver_hello_v12"};

    QString receiverId; // advisory, may be empty
    ReceiverMode mode;
    QList<ResumeCursor> resume; // optional on the wire, default []

    friend bool operator==(const ReceiverHelloV12 &, const ReceiverHelloV12 &) = default;
};

struct ReceiverModeApplied
{
    static constexpr QLatin1StringView kind{"receiver_mode_applied"};

    QString modeSummary;
    qint64 resolvedStreamCount = 0;
    QStringList warnings;

    friend bool operator==(const ReceiverModeApplied &, const ReceiverModeApplied &) = default;
};

struct ReceiverEventBatch
{
    static constexpr QLatin1StringView kind{"receiver_event_batch"};

    QString sessionId;
    QList<ReadEvent> events;

    friend bool operator==(const ReceiverEventBatch &, const ReceiverEventBatch &) = default;
};

struct ReceiverAck
{
    static constexpr QLatin1StringView kind{"receiver_ack"};

    QString sessionId;
    QList<AckEntry> entries;

    friend bool operator==(const ReceiverAck &, const ReceiverAck &) = default;
};

// Counters of one stream, pushed after receiver_mode_applied and whenever they change.
// Timestamps are RFC 3339 text; lags are null before the first event.
struct ReceiverStreamMetrics
{
    static constexpr QLatin1StringView kind{"receiver_stream_metrics"};

    QString forwarderId;
    QString readerIp;
    qint64 rawCount = 0;
    qint64 dedupCount = 0;
    qint64 retransmitCount = 0;
    std::optional<qint64> lagMs;
    qint64 epochRawCount = 0;
    qint64 epochDedupCount = 0;
    qint64 epochRetransmitCount = 0;
    std::optional<qint64> epochLagMs;
    std::optional<QString> epochLastReceivedAt;
    qint64 uniqueChips = 0;

    friend bool operator==(const ReceiverStreamMetrics &, const ReceiverStreamMetrics &) = default;
};

// Tunnelled to receivers when a forwarder reports its reader (dis)connected.
struct ReaderStatusChanged
{
    static constexpr QLatin1StringView kind{"reader_status_changed"};

    QString streamId;
    QString readerIp;
    bool connected = false;

    friend bool operator==(const ReaderStatusChanged &, const ReaderStatusChanged &) = default;
};

// Legacy v1 (/ws/v1/receivers): the hello subscribes the streams named by its cursors.
struct ReceiverHello
{
    static constexpr QLatin1StringView kind{"receiver_hello"};

    QString receiverId;
    QList<ResumeCursor> resume;

    friend bool operator==(const ReceiverHello &, const ReceiverHello &) = default;
};

// Legacy v1: adds streams mid-session.
struct ReceiverSubscribe
{
    static constexpr QLatin1StringView kind{"receiver_subscribe"};

    QString sessionId;
    QList<StreamRef> streams;

    friend bool operator==(const ReceiverSubscribe &, const ReceiverSubscribe &) = default;
};

} // namespace Pitwall
