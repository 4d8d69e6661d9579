#include "vod/vodchannels.h"

#include "core/log/logcategories.h"
#include "vod/channelpipeline.h"
#include "vod/chatchannel.h"
#include "vod/vodcontext.h"
#include "vod/vodmetrics.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall {

VodChannels::VodChannels(VodContext &context, HelixClient *helix, QObject *parent)
    : QObject(parent), m_context(context), m_helix(helix)
{
}

VodChannels::~VodChannels()
{
    stop();
}

QStringList VodChannels::channels() const
{
    QStringList logins;
    for (const ChannelPipeline *pipeline : m_pipelines)
        logins.append(pipeline->channel());
    return logins;
}

ChannelPipeline *VodChannels::pipeline(const QString &channel) const
{
    const QString login = channel.isEmpty() ? m_context.config.queue.channelList().value(0)
                                            : channel;
    for (ChannelPipeline *pipeline : m_pipelines) {
        if (pipeline->channel() == login)
            return pipeline;
    }
    return nullptr;
}

void VodChannels::add(const QString &channel)
{
    auto *pipeline = new ChannelPipeline(m_context, channel, m_helix, this);
    connect(pipeline, &ChannelPipeline::vodChanged, this, &VodChannels::vodChanged);
    connect(pipeline, &ChannelPipeline::progress, this, &VodChannels::progress);
    connect(pipeline, &ChannelPipeline::statusChanged, this, &VodChannels::statusChanged);
    m_pipelines.append(pipeline);
    pipeline->start();
    startChat(channel);
}

void VodChannels::startChat(const QString &channel)
{
    const ChatSettings &chat = m_context.config.chat;
    // Manual mode records one VOD id: the reference does it for TWITCH_CHANNEL alone.
    const QStringList channels = m_context.config.queue.channelList();
    if (!chat.hasCredentials() || (!chat.autoStart && channel != channels.value(0)))
        return;
    auto *recorder = new ChatChannel(m_context.database, chat, channel, m_helix, this);
    ChannelMetrics &metrics = m_context.metrics.channel(channel);
    connect(recorder, &ChatChannel::messagesRecorded, this,
            [&metrics](const QString &, int count) { metrics.chatMessages.inc(count); });
    connect(recorder, &ChatChannel::reconnected, this,
            [&metrics](const QString &) { metrics.chatReconnections.inc(); });
    connect(recorder, &ChatChannel::messagesStored, this,
            [this, channel](const QList<StoredChatMessage> &rows) {
                emit chatMessages(channel, rows);
            });
    if (recorder->start())
        m_chats.append(recorder);
    else
        delete recorder;
}

void VodChannels::remove(const QString &channel)
{
    for (ChatChannel *chat : QList<ChatChannel *>(m_chats)) {
        if (chat->channel() == channel) {
            chat->stop();
            m_chats.removeOne(chat);
            delete chat;
        }
    }
    if (ChannelPipeline *found = pipeline(channel)) {
        found->shutdown();
        m_pipelines.removeOne(found);
        delete found;
    }
}

QStringList VodChannels::sync(const QStringList &wanted)
{
    const QStringList running = channels();
    QStringList removed;
    for (const QString &channel : running) {
        if (!wanted.contains(channel)) {
            remove(channel);
            removed.append(channel);
            qCInfo(lcVod).noquote() << "channel" << channel << "removed";
        }
    }
    for (const QString &channel : wanted) {
        if (!running.contains(channel))
            add(channel);
    }
    return removed;
}

void VodChannels::scan(const QString &channel, std::function<void(const HttpResponse &)> reply)
{
    ChannelPipeline *target = pipeline(channel);
    if (!target)
        return reply(HttpResponse::error(404, u"unknown channel"_s));
    const QString login = target->channel();
    const bool started = target->discover([reply, login](const CatalogResult &result) {
        if (!result.ok())
            return reply(HttpResponse::error(502, result.error));
        reply(HttpResponse::json(QJsonObject{{u"status"_s, u"ok"_s}, {u"channel"_s, login},
                                             {u"new_vods"_s, result.newRows}}));
    });
    if (!started)
        reply(HttpResponse::error(503, u"Twitch API not configured (TWITCH_CLIENT_ID, "
                                        "TWITCH_CLIENT_SECRET)"_s));
}

HttpResponse VodChannels::startCatalog(const QString &channel, std::optional<int> maxCount,
                                       std::optional<int> maxAgeDays)
{
    ChannelPipeline *target = pipeline(channel);
    if (!target)
        return HttpResponse::error(404, u"unknown channel"_s);
    if (!target->hasHelix())
        return HttpResponse::error(503, u"Twitch API not configured (TWITCH_CLIENT_ID, "
                                         "TWITCH_CLIENT_SECRET)"_s);
    if (!target->startCatalog(maxCount, maxAgeDays))
        return HttpResponse::error(409, u"a catalog run is already running for %1"_s.arg(
                                                target->channel()));
    const QueueSettings &queue = m_context.config.queue;
    QJsonObject body{{u"status"_s, u"started"_s}, {u"channel"_s, target->channel()},
                     {u"max"_s, maxCount.value_or(queue.catalogMax)},
                     {u"max_age_days"_s, maxAgeDays.value_or(queue.catalogMaxAgeDays)}};
    return HttpResponse::json(body, 202);
}

void VodChannels::reconfigure()
{
    for (ChannelPipeline *pipeline : std::as_const(m_pipelines))
        pipeline->reconfigure();
}

void VodChannels::stop()
{
    for (ChatChannel *chat : std::as_const(m_chats))
        chat->stop();
    for (ChannelPipeline *pipeline : std::as_const(m_pipelines))
        pipeline->shutdown();
    qDeleteAll(m_chats);
    m_chats.clear();
    qDeleteAll(m_pipelines);
    m_pipelines.clear();
}

} // namespace Pitwall
