#include "vod/catalogpass.h"

#include "core/db/database.h"
#include "core/db/kvstore.h"
#include "core/log/logcategories.h"
#include "core/log/logcontext.h"
#include "vod/helixclient.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The channel's kv store on this thread's connection, or std::nullopt with *error.
std::optional<KvStore> kvStore(const Database &database, QString *error)
{
    QSqlDatabase db = database.connection(error);
    if (!db.isOpen())
        return std::nullopt;
    return KvStore(db);
}

} // namespace

CatalogPass::CatalogPass(HelixClient &client, const Database &database, const QString &channel,
                         CatalogResult::Kind kind, const Plan &plan, CatalogSink sink,
                         QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_database(database)
    , m_plan(plan)
    , m_sink(std::move(sink))
{
    m_result.channel = channel;
    m_result.kind = kind;
    m_pageTimer.setSingleShot(true);
    // A coarse timer may fire 5 % early; Helix's pacing is a lower bound.
    m_pageTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pageTimer, &QTimer::timeout, this, &CatalogPass::requestPage);
}

void CatalogPass::start()
{
    if (m_plan.persistCursor) {
        QString error;
        std::optional<KvStore> kv = kvStore(m_database, &error);
        const std::optional<QString> saved =
                kv ? kv->value(m_result.channel, QString::fromLatin1(cursorKey), &error)
                   : std::nullopt;
        if (!error.isEmpty()) {
            QTimer::singleShot(0, this, [this, error] { finish({}, u"kv: "_s + error); });
            return;
        }
        m_after = saved.value_or(QString());
    }
    m_client.userId(m_result.channel, this,
                    [this](const HelixResult<QString> &result) { onUserId(result); });
}

void CatalogPass::onUserId(const HelixResult<QString> &result)
{
    if (!result.ok())
        return finish({}, result.error);
    m_userId = *result.value;
    requestPage();
}

void CatalogPass::requestPage()
{
    m_client.videos(m_userId, m_plan.pageSize, m_after, this,
                    [this](const HelixResult<HelixVideoPage> &result) { onPage(result); });
}

void CatalogPass::onPage(const HelixResult<HelixVideoPage> &result)
{
    if (!result.ok())
        return finish({}, result.error);
    ++m_result.pages;
    const HelixVideoPage &page = *result.value;
    if (page.videos.isEmpty())
        return finish(u"empty page"_s);

    QString stoppedBy;
    const QList<HelixVideo> taken = take(page.videos, &stoppedBy);
    QString error;
    const std::optional<int> added = m_sink(m_result.channel, taken, &error);
    if (!added)
        return finish({}, u"store: "_s + error);
    m_result.videos += int(taken.size());
    m_result.newRows += *added;

    // A page cut short keeps the previous cursor, so the next run reads its rest.
    const bool wholePage = taken.size() == page.videos.size();
    if (m_plan.persistCursor && wholePage && !page.cursor.isEmpty()) {
        std::optional<KvStore> kv = kvStore(m_database, &error);
        if (!kv || !kv->setValue(m_result.channel, QString::fromLatin1(cursorKey), page.cursor,
                                 &error))
            return finish({}, u"kv: "_s + error);
    }
    if (stoppedBy.isEmpty() && page.cursor.isEmpty())
        stoppedBy = u"end"_s;
    if (stoppedBy.isEmpty() && !m_plan.followCursor)
        stoppedBy = u"one page"_s;
    if (!stoppedBy.isEmpty())
        return finish(stoppedBy);
    m_after = page.cursor;
    m_pageTimer.start(m_plan.pageInterval);
}

QList<HelixVideo> CatalogPass::take(const QList<HelixVideo> &videos, QString *stoppedBy) const
{
    QList<HelixVideo> taken;
    const auto full = [&] {
        return m_plan.maxCount > 0 && m_result.videos + taken.size() >= m_plan.maxCount;
    };
    for (const HelixVideo &video : videos) {
        // Helix lists newest first: everything after the first old video is older still.
        if (m_plan.cutoff.isValid() && video.createdAt.isValid()
            && video.createdAt < m_plan.cutoff) {
            *stoppedBy = u"max age"_s;
            return taken;
        }
        if (full())
            break;
        taken.append(video);
    }
    if (full())
        *stoppedBy = u"max count"_s;
    return taken;
}

void CatalogPass::finish(const QString &stoppedBy, const QString &error)
{
    m_result.stoppedBy = stoppedBy;
    m_result.error = error;
    const bool catalog = m_result.kind == CatalogResult::Kind::Catalog;
    const LogContext::Fields fields(QJsonObject{{u"channel"_s, m_result.channel},
                                                {u"pages"_s, m_result.pages},
                                                {u"videos"_s, m_result.videos},
                                                {u"new"_s, m_result.newRows}});
    const char *what = catalog ? "catalog run" : "discovery";
    if (!error.isEmpty())
        qCWarning(lcVod).noquote() << what << "for" << m_result.channel << "failed:" << error;
    else if (catalog || m_result.newRows > 0)
        qCInfo(lcVod).noquote() << what << "finished:" << stoppedBy;
    else
        qCDebug(lcVod).noquote() << what << "finished:" << stoppedBy;
    emit finished(m_result);
}

} // namespace Pitwall
