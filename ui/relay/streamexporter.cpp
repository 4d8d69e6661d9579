#include "streamexporter.h"

#include "relay/eventstore.h"
#include "relay/streamexport.h"
#include "relay/streaminfo.h"
#include "relaydialogs.h"
#include "streamtablemodel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QProgressDialog>
#include <QSaveFile>
#include <QStandardPaths>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace Pitwall {

StreamExporter::StreamExporter(const Database &database, QWidget *parent)
    : QObject(parent)
    , m_database(database)
    , m_parent(parent)
    , m_directory(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
{
}

void StreamExporter::exportStream(const QJsonObject &stream, std::optional<qint64> epoch,
                                  qint64 expectedRows)
{
    StreamInfo info;
    info.forwarderId = stream.value(u"forwarder_id"_s).toString();
    info.readerIp = stream.value(u"reader_ip"_s).toString();
    const QString streamId = stream.value(u"stream_id"_s).toString();
    const QString name = StreamTableModel::displayName(stream);
    const QString csvFilter = tr("CSV files (*.csv)");
    const QString textFilter = tr("Text files (*.txt)");

    const QString title = epoch ? tr("Export epoch %1 of %2").arg(*epoch).arg(name)
                                : tr("Export %1").arg(name);
    auto *dialog = new QFileDialog(m_parent, title);
    dialog->setObjectName(u"exportFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    // Asked below, naming the stream, for every way a path can be chosen.
    dialog->setOption(QFileDialog::DontConfirmOverwrite);
    dialog->setNameFilters({csvFilter, textFilter});
    dialog->setDirectory(m_directory);
    dialog->selectFile(StreamExport::fileName(info, epoch, ExportWriter::Format::Csv));
    connect(dialog, &QFileDialog::filterSelected, dialog, [=](const QString &filter) {
        const auto format = filter == textFilter ? ExportWriter::Format::Text
                                                 : ExportWriter::Format::Csv;
        dialog->selectFile(StreamExport::fileName(info, epoch, format));
    });
    connect(dialog, &QFileDialog::fileSelected, this, [=, this](const QString &selected) {
        // The name's own extension decides; a name without one gets the chosen filter's.
        const QString suffix = QFileInfo(selected).suffix().toLower();
        ExportWriter::Format format = dialog->selectedNameFilter() == textFilter
                ? ExportWriter::Format::Text : ExportWriter::Format::Csv;
        if (suffix == StreamExport::extension(ExportWriter::Format::Text))
            format = ExportWriter::Format::Text;
        else if (suffix == StreamExport::extension(ExportWriter::Format::Csv))
            format = ExportWriter::Format::Csv;
        QString path = selected;
        if (suffix != StreamExport::extension(format))
            path += u'.' + StreamExport::extension(format);
        m_directory = QFileInfo(path).absolutePath();
        confirmReplace(name, path, [=, this] {
            write(streamId, epoch, format, path, expectedRows);
        });
    });
    dialog->open();
}

void StreamExporter::confirmReplace(const QString &streamName, const QString &path,
                                    const std::function<void()> &write)
{
    if (!QFileInfo::exists(path)) {
        write();
        return;
    }
    askToConfirm(m_parent, u"exportReplaceConfirm"_s, tr("Replace file?"),
                 tr("%1 already exists. Replace it with the export of %2?")
                         .arg(QDir::toNativeSeparators(path), streamName),
                 tr("Replace"), write);
}

void StreamExporter::write(const QString &streamId, std::optional<qint64> epoch,
                           ExportWriter::Format format, const QString &path, qint64 expectedRows)
{
    const QString file = QFileInfo(path).fileName();
    QPointer<QProgressDialog> progress = new QProgressDialog(
            tr("Exporting to %1…").arg(file), tr("Cancel"), 0, int(qMax<qint64>(expectedRows, 0)),
            m_parent);
    progress->setObjectName(u"exportProgress"_s);
    progress->setWindowTitle(tr("Export"));
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setMinimumDuration(300);
    progress->setValue(0);
    auto canceled = std::make_shared<std::atomic<bool>>(false);
    connect(progress, &QProgressDialog::canceled, this, [canceled] { *canceled = true; });

    m_runner.post([this, streamId, epoch, format, path, expectedRows, canceled, progress] {
        EventStore events(m_database);
        StreamExport exporter(events, format);
        QSaveFile out(path);
        QString error;
        if (!out.open(QIODevice::WriteOnly)) {
            error = out.errorString();
        } else {
            StoreError storeError;
            const bool ok = exporter.run(streamId, epoch, [&](const QByteArray &chunk) {
                if (out.write(chunk) != chunk.size()) {
                    error = out.errorString();
                    return false;
                }
                const qint64 rows = qMin(exporter.rowsWritten(), expectedRows);
                QMetaObject::invokeMethod(this, [progress, rows] {
                    if (progress)
                        progress->setValue(int(rows));
                });
                return !*canceled && !m_runner.isStopping();
            }, &storeError);
            if (!ok)
                error = tr("the database failed: %1").arg(storeError.message);
            else if (exporter.stopped() && error.isEmpty())
                error = tr("canceled");
            if (!error.isEmpty())
                out.cancelWriting();
            else if (!out.commit())
                error = out.errorString();
        }
        QMetaObject::invokeMethod(this, [this, progress, path, rows = exporter.rowsWritten(),
                                         error] { done(progress, path, rows, error); });
    });
}

void StreamExporter::done(QPointer<QProgressDialog> progress, const QString &path, qint64 rows,
                          const QString &error)
{
    delete progress.data();
    const QString file = QDir::toNativeSeparators(path);
    if (error.isEmpty()) {
        showNotice(m_parent, u"exportResult"_s, QMessageBox::Information, tr("Export finished"),
                   tr("Wrote %n row(s) to %1.", nullptr, int(rows)).arg(file));
        emit finished(path, rows);
    } else {
        showNotice(m_parent, u"exportResult"_s, QMessageBox::Warning, tr("Export failed"),
                   tr("%1 was not written: %2.").arg(file, error));
        emit failed(path, error);
    }
}

} // namespace Pitwall
