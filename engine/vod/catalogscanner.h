#pragma once

#include "vod/catalogresult.h"
#include "vod/catalogsink.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace Pitwall {

class CatalogPass;
class Database;
class HelixClient;
struct QueueSettings;

// The Helix side of one channel's queue (research §1.2): the catalog run (backfill) and the
// per-cycle discovery, each handing the videos it finds to the sink. Both are asynchronous and
// independent of each other and of everything else: a failure is reported in the result and
// blocks nothing.
//
// Catalog run: pages of 100 (or maxCount when smaller), 1.2 s apart, until Helix has no next
// page, a page is empty, maxCount videos were taken (the last page is cut locally) or the first
// video older than now - maxAgeDays appears. Without an age limit the cursor is kept in
// kv (channel, catalog_after) after each page and the next run starts from it.
// Discovery: one page of the newest 20.
class CatalogScanner final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int maxCount = 0;   // VOD_CATALOG_MAX; 0: no limit
        int maxAgeDays = 0; // VOD_CATALOG_MAX_AGE_DAYS; 0: no limit, and the kv cursor is used
        std::chrono::milliseconds pageInterval = std::chrono::milliseconds(1200);
        int discoveryPageSize = 20;
    };

    static constexpr int maxPageSize = 100;

    CatalogScanner(HelixClient &client, const Database &database, const QString &channel,
                   Options options, CatalogSink sink, QObject *parent = nullptr);
    ~CatalogScanner() override;
    Q_DISABLE_COPY_MOVE(CatalogScanner)

    static Options optionsFor(const QueueSettings &settings);

    const QString &channel() const { return m_channel; }
    // Each starts a run of its kind and returns true, or false while one is still running.
    bool startCatalog();
    bool startDiscovery();
    bool isCatalogRunning() const { return m_catalog != nullptr; }
    bool isDiscoveryRunning() const { return m_discovery != nullptr; }
    // Cancels both runs (their requests and page waits); no result follows for them.
    void abort();

signals:
    void catalogFinished(const Pitwall::CatalogResult &result);
    void discoveryFinished(const Pitwall::CatalogResult &result);

private:
    std::unique_ptr<CatalogPass> &slot(CatalogResult::Kind kind);
    bool start(CatalogResult::Kind kind);
    void onFinished(const CatalogResult &result);

    HelixClient &m_client;
    const Database &m_database;
    const QString m_channel;
    const Options m_options;
    const CatalogSink m_sink;
    std::unique_ptr<CatalogPass> m_catalog;
    std::unique_ptr<CatalogPass> m_discovery;
};

} // namespace Pitwall
