#pragma once

#include "relay/exportrunner.h"
#include "relay/exportwriter.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <optional>

class QProgressDialog;
class QWidget;

namespace Pitwall {

class Database;

// Stream exports from the console, byte for byte the REST export (StreamExport): a file dialog
// (CSV or TXT), a confirmation before an existing file is replaced, the export on a thread of
// its own (ExportRunner) with a progress dialog that can cancel it, and the rows written at
// the end. The file appears complete or not at all: QSaveFile writes a temporary file and
// renames it over the target only once every row is in.
class StreamExporter final : public QObject
{
    Q_OBJECT

public:
    StreamExporter(const Database &database, QWidget *parent);

    // `stream` is a StreamTableModel object; `expectedRows` sizes the progress bar (0: unknown).
    void exportStream(const QJsonObject &stream, std::optional<qint64> epoch,
                      qint64 expectedRows);
    // The background part: writes the export to `path`, replacing it.
    void write(const QString &streamId, std::optional<qint64> epoch, ExportWriter::Format format,
               const QString &path, qint64 expectedRows);

signals:
    void finished(const QString &path, qint64 rows);
    void failed(const QString &path, const QString &message);

private:
    void confirmReplace(const QString &streamName, const QString &path,
                        const std::function<void()> &write);
    void done(QPointer<QProgressDialog> progress, const QString &path, qint64 rows,
              const QString &error);

    const Database &m_database;
    QWidget *m_parent;
    QString m_directory; // where the last export went
    ExportRunner m_runner;
};

} // namespace Pitwall
