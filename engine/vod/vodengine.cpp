#include "vod/vodengine.h"

#include "core/config/duration.h"
#include "core/db/database.h"
#include "core/http/router.h"
#include "core/log/logcategories.h"
#include "vod/adminratelimiter.h"
#include "vod/channelpipeline.h"
#include "vod/chatroutes.h"
#include "vod/chatstreams.h"
#include "vod/downloadslots.h"
#include "vod/helixclient.h"
#include "vod/oauthrefresher.h"
#include "vod/tokencipher.h"
#include "vod/vodcomponent.h"
#include "vod/vodchannels.h"
#include "vod/vodconfigreload.h"
#include "vod/vodconfigrules.h"
#include "vod/vodcontext.h"
#include "vod/vodroutes.h"

#include <QCoreApplication>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QJsonObject retryConfig(const VodConfig &config)
{
    return {{u"download_max_attempts"_s, config.download.maxAttempts},
            {u"download_backoff_base"_s, formatDuration(config.download.backoffBase)},
            {u"upload_max_attempts"_s, config.upload.maxAttempts},
            {u"upload_backoff_base"_s, formatDuration(config.upload.backoffBase)},
            {u"processing_retry_cooldown"_s, formatDuration(config.queue.retryCooldown)}};
}

HttpResponse notStarted()
{
    return HttpResponse::error(503, u"the VOD queue has not started yet"_s);
}

} // namespace

VodEngine::VodEngine(const Database &database, Router &router, MetricsRegistry &metrics,
                     VodConfig config, const QString &nodeId, std::function<bool()> schemaReady)
    : m_database(database)
    , m_config(std::move(config))
    , m_owner(u"%1:%2"_s.arg(nodeId).arg(QCoreApplication::applicationPid()))
    , m_schemaReady(std::move(schemaReady))
    , m_metrics(metrics)
    , m_component(std::make_shared<VodComponent>(m_config.download.maxConcurrentDownloads,
                                                 retryConfig(m_config)))
    , m_circuit(std::make_shared<CircuitComponent>(m_component))
    , m_limiter(std::make_unique<AdminRateLimiter>(m_config.queue.rateLimitEnabled,
                                                   m_config.queue.rateLimitRequests,
                                                   m_config.queue.rateLimitWindow))
    , m_store(database)
    , m_chatStore(database)
    , m_chatStreams(std::make_unique<ChatStreams>(database))
{
    setObjectName(u"vod"_s);
    registerVodRoutes(router, m_store, *this, *m_component, *m_limiter);
    registerChatRoutes(router, m_chatStore, *m_chatStreams);
}

VodEngine::~VodEngine() = default;

std::shared_ptr<EngineComponent> VodEngine::component() const
{
    return m_component;
}

std::shared_ptr<EngineComponent> VodEngine::circuitComponent() const
{
    return m_circuit;
}

void VodEngine::start()
{
    if (m_started)
        return;
    m_started = true;
    startWhenSchemaReady();
}

void VodEngine::startWhenSchemaReady()
{
    if (!m_started || m_context)
        return;
    if (m_schemaReady && !m_schemaReady()) {
        QTimer::singleShot(std::chrono::milliseconds(200), this, &VodEngine::startWhenSchemaReady);
        return;
    }
    startQueue();
}

void VodEngine::startQueue()
{
    m_slots = std::make_unique<DownloadSlots>(m_config.download.maxConcurrentDownloads);
    if (m_config.helix.hasCredentials()) {
        m_helix = std::make_unique<HelixClient>(m_config.helix);
        connect(m_helix.get(), &HelixClient::apiCall, this,
                [this](const QString &endpoint, const QString &status) {
                    m_metrics.helixCall(endpoint, status);
                });
    }
    if (m_config.queue.uploadsAllowed()) {
        QString error;
        if (!m_config.upload.encryptionKey.isEmpty()) {
            if (auto cipher = TokenCipher::fromKey(m_config.upload.encryptionKey, &error))
                m_cipher = std::make_unique<TokenCipher>(*cipher);
            else
                qCCritical(lcVod).noquote() << "ENCRYPTION_KEY unusable:" << error;
        } else {
            qCWarning(lcVod) << "ENCRYPTION_KEY is not set: OAuth tokens are stored in plaintext";
        }
        m_refresher = std::make_unique<OAuthRefresher>(m_database, m_cipher.get(),
                                                       m_config.upload);
        connect(m_refresher.get(), &OAuthRefresher::tokenRefreshed, this,
                [this](const QString &provider) { m_metrics.tokenRefresh(provider, true); });
        connect(m_refresher.get(), &OAuthRefresher::refreshFailed, this,
                [this](const QString &provider) { m_metrics.tokenRefresh(provider, false); });
        m_refresher->start();
    }
    const std::chrono::milliseconds cooldown = m_config.queue.retryCooldown;
    m_context.reset(new VodContext{
            m_config, m_database, m_store, *m_slots, m_metrics, m_refresher.get(), m_owner,
            {.maxAttempts = m_config.download.maxAttempts, .baseDelay = cooldown},
            {.maxAttempts = m_config.upload.maxAttempts, .baseDelay = cooldown}});
    m_channels = std::make_unique<VodChannels>(*m_context, m_helix.get());
    connect(m_channels.get(), &VodChannels::vodChanged, this, &VodEngine::vodChanged);
    connect(m_channels.get(), &VodChannels::progress, this, &VodEngine::progress);
    connect(m_channels.get(), &VodChannels::chatMessages, this, &VodEngine::chatMessages);
    connect(m_channels.get(), &VodChannels::statusChanged, this,
            [this](const ChannelStatus &status) { m_component->publish(status); });
    syncChannels();
    m_component->setStarted(true);
    qCInfo(lcVod).noquote() << "VOD queue running for" << m_config.queue.channelList().join(u", ")
                            << "as" << m_owner;
}

void VodEngine::stop()
{
    if (!m_started)
        return;
    m_component->setStarted(false);
    closeStreams();
    m_channels.reset();
    if (m_refresher)
        m_refresher->stop();
    if (m_helix)
        m_helix->abort();
    m_context.reset();
    m_started = false;
}

void VodEngine::closeStreams()
{
    m_chatStreams->closeAll();
}

void VodEngine::reload()
{
    const std::optional<VodConfigReload::Result> result =
            VodConfigReload::reread(m_config, m_database.settings());
    if (!result)
        return;
    if (m_channels) {
        syncChannels();
        m_channels->reconfigure();
    }
    if (result->channelsChanged)
        emit channelsChanged(m_config.queue.channelList());
}

void VodEngine::syncChannels()
{
    for (const QString &removed : m_channels->sync(m_config.queue.channelList()))
        m_component->forget(removed);
}

void VodEngine::addChannel(const QString &login)
{
    QString channel;
    if (auto rule = VodConfigRules::login(channel, login)) {
        qCWarning(lcVod).noquote() << "not adding channel" << login << ":" << *rule;
        return;
    }
    if (m_config.queue.channelList().contains(channel))
        return;
    m_config.queue.channels = m_config.queue.channelList() << channel;
    if (m_channels) // otherwise the queue starts it with the others
        m_channels->add(channel);
    emit channelsChanged(m_config.queue.channelList());
}

ChannelPipeline *VodEngine::pipeline(const QString &channel) const
{
    return m_channels ? m_channels->pipeline(channel) : nullptr;
}

std::optional<VodRecord> VodEngine::changed(std::optional<VodRecord> vod)
{
    if (vod) {
        emit vodChanged(*vod);
        if (ChannelPipeline *owner = pipeline(vod->channel))
            owner->wake();
    }
    return vod;
}

std::optional<CancelResult> VodEngine::cancelVod(const QString &twitchVodId, StoreError *error)
{
    const std::optional<CancelResult> result = m_store.cancel(twitchVodId, error);
    if (!result || !result->changed)
        return result;
    qCInfo(lcVod).noquote() << "canceled" << twitchVodId << "(was" << toText(result->previous)
                            << ")";
    emit vodChanged(result->vod);
    // A job here stops now; one on another node when its lease renewal finds the row canceled.
    if (ChannelPipeline *owner = pipeline(result->vod.channel))
        owner->stopJob(twitchVodId);
    return result;
}

std::optional<VodRecord> VodEngine::reprocessVod(const QString &twitchVodId, StoreError *error)
{
    return changed(m_store.reprocess(twitchVodId, error));
}

std::optional<VodRecord> VodEngine::setVodPriority(const QString &twitchVodId, int priority,
                                                   StoreError *error)
{
    return changed(m_store.setPriority(twitchVodId, priority, error));
}

std::optional<VodRecord> VodEngine::setVodSkipUpload(const QString &twitchVodId, bool skip,
                                                     StoreError *error)
{
    return changed(m_store.setSkipUpload(twitchVodId, skip, error));
}

std::optional<VodRecord> VodEngine::setVodDescription(const QString &twitchVodId,
                                                      const QString &description,
                                                      StoreError *error)
{
    const auto vod = m_store.setDescription(twitchVodId, description, error);
    if (vod)
        emit vodChanged(*vod);
    return vod;
}

void VodEngine::scan(const QString &channel, std::function<void(const HttpResponse &)> reply)
{
    if (!m_channels)
        return reply(notStarted());
    m_channels->scan(channel, std::move(reply));
}

HttpResponse VodEngine::startCatalog(const QString &channel, std::optional<int> maxCount,
                                     std::optional<int> maxAgeDays)
{
    return m_channels ? m_channels->startCatalog(channel, maxCount, maxAgeDays) : notStarted();
}

void VodEngine::cancel(const QString &twitchVodId)
{
    StoreError error;
    if (!cancelVod(twitchVodId, &error) && error.kind != StoreError::Kind::None)
        qCWarning(lcVod).noquote() << "cancel of" << twitchVodId << "failed:" << error.message;
}

void VodEngine::reprocess(const QString &twitchVodId)
{
    StoreError error;
    if (!reprocessVod(twitchVodId, &error))
        qCWarning(lcVod).noquote() << "reprocess of" << twitchVodId << "failed:" << error.message;
}

void VodEngine::setPriority(const QString &twitchVodId, int priority)
{
    StoreError error;
    if (!setVodPriority(twitchVodId, priority, &error))
        qCWarning(lcVod).noquote() << "priority of" << twitchVodId << "not set:" << error.message;
}

void VodEngine::setSkipUpload(const QString &twitchVodId, bool skip)
{
    StoreError error;
    if (!setVodSkipUpload(twitchVodId, skip, &error))
        qCWarning(lcVod).noquote() << "skip_upload of" << twitchVodId << "not set:"
                                   << error.message;
}

} // namespace Pitwall
