#include "core/db/walcheckpointer.h"

#include "core/db/database.h"
#include "core/db/dialect.h"
#include "core/log/logcategories.h"
#include "core/metrics/metricsregistry.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

CounterFamily &checkpoints(MetricsRegistry &metrics)
{
    return metrics.counter(u"pitwall_db_wal_checkpoints_total"_s,
                           u"SQLite checkpoints that emptied the write-ahead log (done), found it "
                           "still in use after the busy timeout (busy), or failed"_s,
                           {u"result"_s});
}

} // namespace

WalCheckpointer::WalCheckpointer(const Database &database, MetricsRegistry &metrics,
                                 std::chrono::milliseconds interval, qint64 limitBytes,
                                 QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_walPath(database.settings().sqlitePath() + u"-wal"_s)
    , m_limitBytes(limitBytes)
    , m_walBytes(metrics.gauge(u"pitwall_db_wal_bytes"_s,
                               u"Size of the SQLite write-ahead log"_s)
                         .unlabelled())
    , m_done(checkpoints(metrics).labels({u"done"_s}))
    , m_busy(checkpoints(metrics).labels({u"busy"_s}))
    , m_failed(checkpoints(metrics).labels({u"failed"_s}))
    , m_timer(this)
{
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &WalCheckpointer::check);
}

void WalCheckpointer::start()
{
    m_timer.start();
}

qint64 WalCheckpointer::walBytes() const
{
    return QFileInfo(m_walPath).size(); // 0 when there is no log
}

void WalCheckpointer::check()
{
    const qint64 before = walBytes();
    m_walBytes.set(double(before));
    if (before <= m_limitBytes)
        return;
    QString error;
    QSqlDatabase db = m_database.connection(&error);
    QSqlQuery query(db);
    if (!db.isOpen() || !query.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s) || !query.next()) {
        m_failed.inc();
        qCWarning(lcDb).noquote() << "write-ahead log checkpoint failed:"
                                  << (db.isOpen() ? Dialect::errorText(query.lastError()) : error);
        return;
    }
    // The row: busy (1 when the log could not be emptied), frames in the log, frames copied.
    const bool emptied = query.value(0).toInt() == 0;
    query.finish();
    (emptied ? m_done : m_busy).inc();
    m_walBytes.set(double(walBytes()));
    if (emptied) {
        m_busyInARow = 0;
    } else if (++m_busyInARow % 10 == 0) {
        qCWarning(lcDb).noquote()
                << u"the write-ahead log (%1 MiB) could not be emptied %2 times in a row: "
                   "readers or writers held it past the busy timeout"_s
                           .arg(before / (1024 * 1024))
                           .arg(m_busyInARow);
    }
    emit checkpointed(emptied, before);
}

} // namespace Pitwall
