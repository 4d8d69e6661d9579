#include "relayconsoleservice.h"

#include "relay/streammetricsjson.h"
#include "relay/streamroutes.h"

namespace Pitwall {

RelayConsoleService::RelayConsoleService(const Database &database, StreamEventSink notify,
                                         QObject *parent)
    : QObject(parent)
    , m_streams(database)
    , m_events(database)
    , m_cursors(database)
    , m_tokens(database, this)
    , m_notify(std::move(notify))
{
}

void RelayConsoleService::loadStreams()
{
    StoreError error;
    const std::optional<QList<StreamInfo>> streams = m_streams.list(&error);
    if (!streams) {
        emit failed(tr("Cannot list the relay streams: %1").arg(describe(error)));
        return;
    }
    QList<QJsonObject> rows;
    for (const StreamInfo &stream : *streams) {
        QJsonObject row = stream.toJson();
        // A stream whose metrics cannot be read still shows, with its counts blank.
        if (const auto metrics = m_events.metrics(stream.streamId, &error)) {
            const QJsonObject values = streamMetricsJson(*metrics);
            for (auto it = values.constBegin(); it != values.constEnd(); ++it)
                row.insert(it.key(), it.value());
        }
        rows.append(row);
    }
    emit streamsLoaded(rows);
}

void RelayConsoleService::loadEpochs(const QString &streamId)
{
    StoreError error;
    const std::optional<QList<EpochInfo>> epochs = m_streams.epochs(streamId, &error);
    if (!epochs) {
        emit failed(tr("Cannot list the epochs of the stream: %1").arg(describe(error)));
        return;
    }
    emit epochsLoaded(streamId, *epochs);
}

void RelayConsoleService::rename(const QString &streamId, const QString &alias)
{
    StoreError error;
    if (!renameStream(m_streams, m_notify, streamId, alias, &error)) {
        emit failed(tr("Cannot rename the stream: %1").arg(describe(error)));
        return;
    }
    emit renamed(streamId, alias);
}

void RelayConsoleService::nameEpoch(const QString &streamId, qint64 epoch, const QString &name)
{
    StoreError error;
    const QString trimmed = name.trimmed();
    if (!m_streams.setEpochName(streamId, epoch,
                                trimmed.isEmpty() ? std::nullopt : std::optional(trimmed),
                                &error)) {
        emit failed(tr("Cannot name epoch %1: %2").arg(epoch).arg(describe(error)));
        return;
    }
    emit epochNamed(streamId, epoch, trimmed);
}

void RelayConsoleService::loadTokens()
{
    TokenError error;
    const std::optional<QList<TokenInfo>> tokens = m_tokens.list(&error);
    if (!tokens) {
        emit failed(tr("Cannot list the device tokens: %1").arg(describe(error)));
        return;
    }
    emit tokensLoaded(*tokens);
}

void RelayConsoleService::createToken(const QString &deviceType, const QString &deviceId)
{
    TokenError error;
    const std::optional<CreatedToken> created =
            m_tokens.create(deviceType, deviceId, std::nullopt, &error);
    if (!created) {
        emit tokenCreateFailed(describe(error));
        return;
    }
    emit tokenCreated(*created);
}

void RelayConsoleService::revokeToken(const QString &tokenId)
{
    TokenError error;
    if (!m_tokens.revoke(tokenId, &error)) {
        emit failed(tr("Cannot revoke the token: %1").arg(describe(error)));
        return;
    }
    emit tokenRevoked(tokenId);
}

void RelayConsoleService::loadCursors()
{
    StoreError error;
    const std::optional<QList<ReceiverCursor>> cursors = m_cursors.cursors(&error);
    if (!cursors) {
        emit failed(tr("Cannot list the receiver cursors: %1").arg(describe(error)));
        return;
    }
    emit cursorsLoaded(*cursors);
}

void RelayConsoleService::deleteCursors(const QString &receiverId, const QString &streamId)
{
    StoreError error;
    const std::optional<int> deleted = m_cursors.deleteCursors(receiverId, streamId, &error);
    if (!deleted) {
        emit failed(tr("Cannot delete the receiver cursor: %1").arg(describe(error)));
        return;
    }
    emit cursorsDeleted(receiverId, streamId, *deleted);
}

QString RelayConsoleService::describe(const StoreError &error)
{
    switch (error.kind) {
    case StoreError::Kind::Unavailable:
        return tr("the database is unavailable");
    case StoreError::Kind::Busy:
        return tr("the database stayed locked by another writer; try again");
    case StoreError::Kind::NotFound:
        return tr("the stream no longer exists");
    case StoreError::Kind::Invalid:
    case StoreError::Kind::Failed:
    case StoreError::Kind::None:
        break;
    }
    return tr("the database reported: %1").arg(error.message);
}

QString RelayConsoleService::describe(const TokenError &error)
{
    switch (error.kind) {
    case TokenError::Kind::InvalidDeviceType:
        return tr("choose forwarder or receiver");
    case TokenError::Kind::EmptyDeviceId:
        return tr("enter a device id");
    case TokenError::Kind::Duplicate:
        return tr("this token exists already");
    case TokenError::Kind::NotFound:
        return tr("the token is unknown or already revoked");
    case TokenError::Kind::Unavailable:
        return tr("the database is unavailable");
    case TokenError::Kind::EmptyToken:
    case TokenError::Kind::WeakToken:
    case TokenError::Kind::InvalidTokenId:
    case TokenError::Kind::DatabaseError:
        break;
    }
    return tr("the database reported: %1").arg(error.message);
}

} // namespace Pitwall
