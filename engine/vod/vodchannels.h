#pragma once

#include "core/http/httpresponse.h"
#include "vod/channelstatus.h"
#include "vod/storedchatmessage.h"
#include "vod/vodrecord.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace Pitwall {

class ChannelPipeline;
class ChatChannel;
class HelixClient;
struct VodContext;

// The channels the VOD engine runs, on its thread: a ChannelPipeline for each and, where chat
// is recorded (auto mode, or manual mode's first channel), a ChatChannel. Each starts when
// added and ends when removed or at stop(); their signals come out here.
class VodChannels final : public QObject
{
    Q_OBJECT

public:
    // `helix` may be null (no Twitch credentials): no discovery, no live status for chat.
    VodChannels(VodContext &context, HelixClient *helix, QObject *parent = nullptr);
    ~VodChannels() override;

    QStringList channels() const;
    // The channel's pipeline (empty: the first channel's), or nullptr.
    ChannelPipeline *pipeline(const QString &channel) const;
    void add(const QString &channel);
    // Ends the channel's jobs (rows handed back) and its chat recording.
    void remove(const QString &channel);
    // Adds and removes channels until they are `wanted`; the ones removed.
    QStringList sync(const QStringList &wanted);
    // Discovery of one channel now (empty: the first); `reply` gets the answer of
    // /admin/vod/scan when it is done.
    void scan(const QString &channel, std::function<void(const HttpResponse &)> reply);
    // Starts a catalog run and answers /admin/vod/catalog at once: 202 started, 409 running.
    HttpResponse startCatalog(const QString &channel, std::optional<int> maxCount,
                              std::optional<int> maxAgeDays);
    // Every pipeline takes the current configuration (reload).
    void reconfigure();
    // Ends every channel.
    void stop();

signals:
    void vodChanged(const Pitwall::VodRecord &vod);
    void progress(const QString &channel, const QString &vodId, qint64 bytes, qint64 total);
    void statusChanged(const Pitwall::ChannelStatus &status);
    void chatMessages(const QString &channel, const QList<Pitwall::StoredChatMessage> &rows);

private:
    void startChat(const QString &channel);

    VodContext &m_context;
    HelixClient *m_helix;
    QList<ChannelPipeline *> m_pipelines; // children
    QList<ChatChannel *> m_chats;         // children
};

} // namespace Pitwall
