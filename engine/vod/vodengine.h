#pragma once

#include "core/engine.h"
#include "core/http/httpresponse.h"
#include "vod/cancelresult.h"
#include "vod/chatstore.h"
#include "vod/storedchatmessage.h"
#include "vod/vodconfig.h"
#include "vod/vodmetrics.h"
#include "vod/vodrecord.h"
#include "vod/vodstore.h"

#include <QHash>
#include <QList>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace Pitwall {

class AdminRateLimiter;
class ChannelPipeline;
class ChatStreams;
class Database;
class DownloadSlots;
class HelixClient;
class MetricsRegistry;
class OAuthRefresher;
class Router;
class TokenCipher;
class VodChannels;
class VodComponent;
class CircuitComponent;
struct VodContext;

// The VOD queue (issue 5) on its own thread: one ChannelPipeline per channel (discovery,
// claims, downloads, uploads, breaker, averages, retention), the download slots they share,
// the Helix client, the YouTube token refresher and a chat recorder per channel. Everything is
// event driven on the engine thread; nothing waits.
//
// The console uses the queued signals and invokable slots; the HTTP routes use the *Vod methods
// through queued calls (they run on the engine thread).
class VodEngine final : public Engine
{
    Q_OBJECT

public:
    // Registers the routes; `nodeId` and the pid make this process's lease owner. The queue
    // starts once schemaReady() says the migrations have run (empty: they have).
    VodEngine(const Database &database, Router &router, MetricsRegistry &metrics,
              VodConfig config, const QString &nodeId, std::function<bool()> schemaReady = {});
    ~VodEngine() override;

    std::shared_ptr<EngineComponent> component() const override;
    // /readyz's circuit_breaker check; the host adds it next to component().
    std::shared_ptr<EngineComponent> circuitComponent() const;
    QString leaseOwner() const { return m_owner; }
    // What the engine was built with, for the parts the routes create (the OAuth flows).
    const Database &database() const { return m_database; }
    const VodConfig &config() const { return m_config; }

    // Engine thread only, for the HTTP routes.
    std::optional<CancelResult> cancelVod(const QString &twitchVodId, StoreError *error);
    std::optional<VodRecord> reprocessVod(const QString &twitchVodId, StoreError *error);
    std::optional<VodRecord> setVodPriority(const QString &twitchVodId, int priority,
                                            StoreError *error);
    std::optional<VodRecord> setVodSkipUpload(const QString &twitchVodId, bool skip,
                                              StoreError *error);
    std::optional<VodRecord> setVodDescription(const QString &twitchVodId,
                                               const QString &description, StoreError *error);
    // Discovery of one channel now (empty: the first channel); `reply` gets the answer when it
    // is done.
    void scan(const QString &channel, std::function<void(const HttpResponse &)> reply);
    // Starts a catalog run and answers at once: 202 started, 409 already running (503 for
    // both until the queue has started).
    HttpResponse startCatalog(const QString &channel, std::optional<int> maxCount,
                              std::optional<int> maxAgeDays);

public slots:
    void start() override;
    void stop() override;
    void closeStreams() override;
    void reload() override;

    // The console's actions, by Twitch VOD id; results arrive as vodChanged().
    void cancel(const QString &twitchVodId);
    void reprocess(const QString &twitchVodId);
    void setPriority(const QString &twitchVodId, int priority);
    void setSkipUpload(const QString &twitchVodId, bool skip);
    // Starts a pipeline (and chat recording) for another channel until the engine stops.
    void addChannel(const QString &login);

signals:
    // A VOD row changed (claim, progress stage, operator action, ...).
    void vodChanged(const Pitwall::VodRecord &vod);
    // Live download progress (every change, not throttled like the database) and upload bytes.
    void progress(const QString &channel, const QString &vodId, qint64 bytes, qint64 total);
    // Chat rows just stored, for live chat views.
    void chatMessages(const QString &channel, const QList<Pitwall::StoredChatMessage> &rows);
    // The channel list changed (addChannel).
    void channelsChanged(const QStringList &channels);

private:
    void startWhenSchemaReady();
    void startQueue();
    ChannelPipeline *pipeline(const QString &channel) const;
    // Starts and ends pipelines until they match the configured channel list.
    void syncChannels();
    std::optional<VodRecord> changed(std::optional<VodRecord> vod);

    const Database &m_database;
    VodConfig m_config;
    const QString m_owner;
    const std::function<bool()> m_schemaReady;
    VodMetrics m_metrics;
    std::shared_ptr<VodComponent> m_component;
    std::shared_ptr<CircuitComponent> m_circuit;
    std::unique_ptr<AdminRateLimiter> m_limiter;
    // What the routes read with, on the HTTP thread; they outlive the router's use of them.
    const VodStore m_store;
    const ChatStore m_chatStore;
    std::unique_ptr<ChatStreams> m_chatStreams;
    // Created in start(), on the engine thread.
    std::unique_ptr<DownloadSlots> m_slots;
    std::unique_ptr<HelixClient> m_helix;
    std::unique_ptr<TokenCipher> m_cipher;
    std::unique_ptr<OAuthRefresher> m_refresher;
    std::unique_ptr<VodContext> m_context;
    std::unique_ptr<VodChannels> m_channels;
    bool m_started = false;
};

} // namespace Pitwall
