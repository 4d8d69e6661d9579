#include "vod/catalogscanner.h"

#include "vod/catalogpass.h"
#include "vod/queuesettings.h"

#include <QDateTime>

namespace Pitwall {

CatalogScanner::CatalogScanner(HelixClient &client, const Database &database,
                               const QString &channel, Options options, CatalogSink sink,
                               QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_database(database)
    , m_channel(channel)
    , m_options(options)
    , m_sink(std::move(sink))
{
}

CatalogScanner::~CatalogScanner() = default;

CatalogScanner::Options CatalogScanner::optionsFor(const QueueSettings &settings)
{
    Options options;
    options.maxCount = settings.catalogMax;
    options.maxAgeDays = settings.catalogMaxAgeDays;
    return options;
}

bool CatalogScanner::startCatalog()
{
    return start(CatalogResult::Kind::Catalog);
}

bool CatalogScanner::startDiscovery()
{
    return start(CatalogResult::Kind::Discovery);
}

void CatalogScanner::abort()
{
    m_catalog.reset();
    m_discovery.reset();
}

std::unique_ptr<CatalogPass> &CatalogScanner::slot(CatalogResult::Kind kind)
{
    return kind == CatalogResult::Kind::Catalog ? m_catalog : m_discovery;
}

bool CatalogScanner::start(CatalogResult::Kind kind)
{
    std::unique_ptr<CatalogPass> &pass = slot(kind);
    if (pass)
        return false;
    CatalogPass::Plan plan;
    plan.pageInterval = m_options.pageInterval;
    if (kind == CatalogResult::Kind::Discovery) {
        plan.pageSize = m_options.discoveryPageSize;
        plan.followCursor = false;
    } else {
        plan.pageSize = m_options.maxCount > 0 ? std::min(maxPageSize, m_options.maxCount)
                                               : maxPageSize;
        plan.maxCount = m_options.maxCount;
        plan.persistCursor = m_options.maxAgeDays == 0;
        if (m_options.maxAgeDays > 0)
            plan.cutoff = QDateTime::currentDateTimeUtc().addDays(-m_options.maxAgeDays);
    }
    pass = std::make_unique<CatalogPass>(m_client, m_database, m_channel, kind, plan, m_sink);
    connect(pass.get(), &CatalogPass::finished, this, &CatalogScanner::onFinished);
    pass->start();
    return true;
}

void CatalogScanner::onFinished(const CatalogResult &result)
{
    // The pass emits from within its own callback: it goes once that has returned.
    slot(result.kind).release()->deleteLater();
    if (result.kind == CatalogResult::Kind::Catalog)
        emit catalogFinished(result);
    else
        emit discoveryFinished(result);
}

} // namespace Pitwall
