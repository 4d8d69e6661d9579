#include "vod/channelcatalog.h"

#include "core/db/database.h"
#include "core/log/logcategories.h"
#include "vod/vodcontext.h"
#include "vod/vodstoresink.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

ChannelCatalog::ChannelCatalog(VodContext &context, const QString &channel, HelixClient &helix,
                               QObject *parent)
    : QObject(parent), m_context(context), m_channel(channel), m_helix(helix)
{
    m_scanner = makeScanner(CatalogScanner::optionsFor(context.config.queue));
    connect(m_scanner.get(), &CatalogScanner::discoveryFinished, this,
            &ChannelCatalog::onDiscoveryFinished);
    m_timer.setInterval(context.config.queue.catalogBackfillInterval);
    connect(&m_timer, &QTimer::timeout, this, [this] { startCatalog(); });
}

ChannelCatalog::~ChannelCatalog() = default;

void ChannelCatalog::start()
{
    m_timer.start();
    startCatalog();
}

void ChannelCatalog::reconfigure()
{
    m_timer.setInterval(m_context.config.queue.catalogBackfillInterval);
}

void ChannelCatalog::stop()
{
    m_timer.stop();
    m_scanner->abort();
    m_overrideScanner.reset();
    m_discoveryWaiters.clear();
}

std::unique_ptr<CatalogScanner> ChannelCatalog::makeScanner(const CatalogScanner::Options &options)
{
    auto scanner = std::make_unique<CatalogScanner>(m_helix, m_context.database, m_channel,
                                                    options, vodStoreSink(m_context.database));
    connect(scanner.get(), &CatalogScanner::catalogFinished, this,
            &ChannelCatalog::onCatalogFinished);
    return scanner;
}

void ChannelCatalog::discover(std::function<void(const CatalogResult &)> done)
{
    if (done)
        m_discoveryWaiters.append(std::move(done));
    if (!m_scanner->isDiscoveryRunning())
        m_scanner->startDiscovery();
}

void ChannelCatalog::onDiscoveryFinished(const CatalogResult &result)
{
    if (!result.ok())
        qCWarning(lcVod).noquote() << "channel" << m_channel << "discovery failed:" << result.error
                                   << "(queued VODs are processed anyway)";
    else if (result.newRows > 0)
        qCInfo(lcVod).noquote() << "channel" << m_channel << "discovered" << result.newRows
                                << "new VODs";
    const auto waiters = std::exchange(m_discoveryWaiters, {});
    for (const auto &done : waiters)
        done(result);
    if (result.newRows > 0)
        emit newRows();
}

bool ChannelCatalog::startCatalog(std::optional<int> maxCount, std::optional<int> maxAgeDays)
{
    if (m_scanner->isCatalogRunning() || m_overrideScanner)
        return false;
    if (!maxCount && !maxAgeDays)
        return m_scanner->startCatalog();
    CatalogScanner::Options options = CatalogScanner::optionsFor(m_context.config.queue);
    options.maxCount = maxCount.value_or(options.maxCount);
    options.maxAgeDays = maxAgeDays.value_or(options.maxAgeDays);
    m_overrideScanner = makeScanner(options);
    return m_overrideScanner->startCatalog();
}

void ChannelCatalog::onCatalogFinished(const CatalogResult &result)
{
    if (m_overrideScanner && sender() == m_overrideScanner.get())
        m_overrideScanner.release()->deleteLater();
    if (result.ok())
        qCInfo(lcVod).noquote() << u"channel %1 catalog: %2 pages, %3 videos, %4 new (%5)"_s
                                       .arg(m_channel).arg(result.pages).arg(result.videos)
                                       .arg(result.newRows).arg(result.stoppedBy);
    else
        qCWarning(lcVod).noquote() << "channel" << m_channel << "catalog run failed:"
                                   << result.error;
    if (result.newRows > 0)
        emit newRows();
}

} // namespace Pitwall
