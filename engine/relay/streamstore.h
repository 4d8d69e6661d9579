#pragma once

#include "relay/epochinfo.h"
#include "relay/storeerror.h"
#include "relay/streaminfo.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

namespace Pitwall {

class Database;

// The relay's stream catalogue: what the API lists about streams, their names and epoch names,
// and the online / reader flags the forwarder sessions maintain (EventStore creates streams).
// Thread-safe like Database: every call uses the calling thread's connection. Failures return
// std::nullopt / false and fill *error; a stream id that is not a UUID is Invalid, an unknown
// one NotFound.
class StreamStore final
{
public:
    explicit StreamStore(const Database &database) : m_database(database) { }

    // All streams, oldest first.
    std::optional<QList<StreamInfo>> list(StoreError *error) const;
    std::optional<StreamInfo> get(const QString &streamId, StoreError *error) const;
    std::optional<StreamInfo> find(const QString &forwarderId, const QString &readerIp,
                                   StoreError *error) const;
    std::optional<QList<StreamInfo>> forForwarder(const QString &forwarderId,
                                                  StoreError *error) const;
    bool rename(const QString &streamId, const QString &alias, StoreError *error) const;

    // Epochs that have events or a name, ascending.
    std::optional<QList<EpochInfo>> epochs(const QString &streamId, StoreError *error) const;
    // The name is trimmed; empty or nullopt clears it.
    bool setEpochName(const QString &streamId, qint64 epoch, const std::optional<QString> &name,
                      StoreError *error) const;

    // Hello: online for these readers of the forwarder (their streams exist: the session
    // ensures them first) and forwarder_display_name on all its streams (nullopt clears it).
    bool markOnline(const QString &forwarderId, const QStringList &readerIps,
                    const std::optional<QString> &displayName, StoreError *error) const;
    // Session end: neither online nor reader_connected on any stream of the forwarder.
    bool markOffline(const QString &forwarderId, StoreError *error) const;
    // reader_status_update: `true` only applies while the stream is online.
    bool setReaderConnected(const QString &streamId, bool connected, StoreError *error) const;
    // Start-up: no session survives a restart, so every stream is offline. Rows changed.
    std::optional<int> markAllOffline(StoreError *error) const;

private:
    std::optional<QList<StreamInfo>> select(const QString &where, const QVariantList &values,
                                            StoreError *error) const;
    std::optional<StreamInfo> selectOne(const QString &where, const QVariantList &values,
                                        const QString &missing, StoreError *error) const;

    const Database &m_database;
};

} // namespace Pitwall
