#pragma once

#include "relay/protocol/errorcode.h"
#include "relay/protocol/protocoltypes.h"

#include <QJsonValue>
#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

// Messages of the forwarder endpoint /ws/v1/forwarders (research §1.5). Heartbeat and
// ErrorMessage are also sent to receivers. Names follow the wire `kind` in CamelCase.

struct ForwarderHello
{
    static constexpr QLatin1StringView kind{"forwarder_hello"};

    QString forwarderId; // advisory, may be empty
    QStringList readerIps; // "ip:port"
    std::optional<QString> displayName; // omitted on the wire when unset

    friend bool operator==(const ForwarderHello &, const ForwarderHello &) = default;
};

struct ForwarderEventBatch
{
    static constexpr QLatin1StringView kind{"forwarder_event_batch"};

    QString sessionId;
    QString batchId; // opaque, logging only
    QList<ReadEvent> events;

    friend bool operator==(const ForwarderEventBatch &, const ForwarderEventBatch &) = default;
};

struct ForwarderAck
{
    static constexpr QLatin1StringView kind{"forwarder_ack"};

    QString sessionId;
    QList<AckEntry> entries;

    friend bool operator==(const ForwarderAck &, const ForwarderAck &) = default;
};

struct Heartbeat
{
    static constexpr QLatin1StringView kind{"heartbeat"};

    QString sessionId;
    QString deviceId;

    friend bool operator==(const Heartbeat &, const Heartbeat &) = default;
};

// The `error` frame; after it the server closes the socket.
struct ErrorMessage
{
    static constexpr QLatin1StringView kind{"error"};

    ErrorCode code = ErrorCode::ProtocolError;
    QString message;
    bool retryable = false;

    friend bool operator==(const ErrorMessage &, const ErrorMessage &) = default;
};

struct EpochResetCommand
{
    static constexpr QLatin1StringView kind{"epoch_reset_command"};

    QString sessionId;
    QString forwarderId;
    QString readerIp;
    qint64 newStreamEpoch = 2;

    friend bool operator==(const EpochResetCommand &, const EpochResetCommand &) = default;
};

struct ReaderStatusUpdate
{
    static constexpr QLatin1StringView kind{"reader_status_update"};

    QString readerIp;
    bool connected = false;

    friend bool operator==(const ReaderStatusUpdate &, const ReaderStatusUpdate &) = default;
};

// Proxied forwarder configuration and restart (server -> forwarder requests, forwarder replies).
// `error` is serialized as null when unset; `config`/`payload` are any JSON value.
struct ConfigGetRequest
{
    static constexpr QLatin1StringView kind{"config_get_request"};

    QString requestId;

    friend bool operator==(const ConfigGetRequest &, const ConfigGetRequest &) = default;
};

struct ConfigGetResponse
{
    static constexpr QLatin1StringView kind{"config_get_response"};

    QString requestId;
    bool ok = false;
    std::optional<QString> error;
    QJsonValue config;
    bool restartNeeded = false;

    friend bool operator==(const ConfigGetResponse &, const ConfigGetResponse &) = default;
};

struct ConfigSetRequest
{
    static constexpr QLatin1StringView kind{"config_set_request"};

    QString requestId;
    QString section;
    QJsonValue payload;

    friend bool operator==(const ConfigSetRequest &, const ConfigSetRequest &) = default;
};

struct ConfigSetResponse
{
    static constexpr QLatin1StringView kind{"config_set_response"};

    QString requestId;
    bool ok = false;
    std::optional<QString> error;
    bool restartNeeded = false;
    std::optional<int> statusCode; // u16 on the wire

    friend bool operator==(const ConfigSetResponse &, const ConfigSetResponse &) = default;
};

struct RestartRequest
{
    static constexpr QLatin1StringView kind{"restart_request"};

    QString requestId;

    friend bool operator==(const RestartRequest &, const RestartRequest &) = default;
};

struct RestartResponse
{
    static constexpr QLatin1StringView kind{"restart_response"};

    QString requestId;
    bool ok = false;
    std::optional<QString> error;

    friend bool operator==(const RestartResponse &, const RestartResponse &) = default;
};

} // namespace Pitwall
