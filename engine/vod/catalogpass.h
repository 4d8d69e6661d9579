#pragma once

#include "vod/catalogresult.h"
#include "vod/catalogsink.h"
#include "vod/helixresult.h"
#include "vod/helixvideo.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace Pitwall {

class Database;
class HelixClient;

// One walk over a channel's archive for CatalogScanner (research §1.2): the user id, then
// /helix/videos pages newest first, each handed to the sink, until a stop rule of the plan
// holds. Destroying it cancels the walk: its Helix calls are dropped with it.
class CatalogPass final : public QObject
{
    Q_OBJECT

public:
    struct Plan
    {
        int pageSize = 100;
        int maxCount = 0;  // videos per run; 0: no limit (a page is cut locally to fit)
        QDateTime cutoff;  // the first video created before it ends the run; invalid: none
        bool followCursor = true;
        // Start from kv (channel, catalog_after) and save each fully taken page's cursor there.
        bool persistCursor = false;
        std::chrono::milliseconds pageInterval = std::chrono::milliseconds(1200);
    };

    static constexpr auto cursorKey = "catalog_after";

    CatalogPass(HelixClient &client, const Database &database, const QString &channel,
                CatalogResult::Kind kind, const Plan &plan, CatalogSink sink,
                QObject *parent = nullptr);

    void start();

signals:
    // Once per pass, never from within start().
    void finished(const Pitwall::CatalogResult &result);

private:
    void onUserId(const HelixResult<QString> &result);
    void requestPage();
    void onPage(const HelixResult<HelixVideoPage> &result);
    // The videos of a page the plan takes, and the stop rule it hit.
    QList<HelixVideo> take(const QList<HelixVideo> &videos, QString *stoppedBy) const;
    void finish(const QString &stoppedBy, const QString &error = {});

    HelixClient &m_client;
    const Database &m_database;
    const Plan m_plan;
    const CatalogSink m_sink;
    CatalogResult m_result;
    QString m_userId;
    QString m_after;
    QTimer m_pageTimer;
};

} // namespace Pitwall
