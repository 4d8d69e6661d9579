#pragma once

#include "vod/catalogresult.h"
#include "vod/catalogscanner.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace Pitwall {

class HelixClient;
struct VodContext;

// The Helix side of one channel's pipeline: per-cycle discovery, the catalog run at start and
// every VOD_CATALOG_BACKFILL_INTERVAL, and the operator's runs with their own limits. Found
// VODs go into the queue as discovered rows; newRows() tells the pipeline to claim.
class ChannelCatalog final : public QObject
{
    Q_OBJECT

public:
    ChannelCatalog(VodContext &context, const QString &channel, HelixClient &helix,
                   QObject *parent = nullptr);
    ~ChannelCatalog() override;

    void start();
    void stop();
    // Takes the current backfill interval from the configuration (reload); the scheduled runs'
    // limits stay as they were at start.
    void reconfigure();
    // Discovery unless one runs; `done` (may be empty) gets its result.
    void discover(std::function<void(const CatalogResult &)> done = {});
    // False when a catalog run is in progress.
    bool startCatalog(std::optional<int> maxCount = {}, std::optional<int> maxAgeDays = {});

signals:
    void newRows();

private:
    std::unique_ptr<CatalogScanner> makeScanner(const CatalogScanner::Options &options);
    void onDiscoveryFinished(const CatalogResult &result);
    void onCatalogFinished(const CatalogResult &result);

    VodContext &m_context;
    const QString m_channel;
    HelixClient &m_helix;
    std::unique_ptr<CatalogScanner> m_scanner;
    std::unique_ptr<CatalogScanner> m_overrideScanner; // a run with the operator's limits
    QList<std::function<void(const CatalogResult &)>> m_discoveryWaiters;
    QTimer m_timer;
};

} // namespace Pitwall
