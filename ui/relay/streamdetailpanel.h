#pragma once

#include "relay/epochinfo.h"

#include <QList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace Pitwall {

class EpochTableModel;
class RelayConsole;
class StreamActions;

// Stream detail: the metrics of the stream selected in the streams panel (live, from the same
// table), its epochs with names and counts (reloaded at most every two seconds while reads
// arrive), and the stream's actions: rename, epoch reset, export of the stream or of one epoch,
// naming the selected epoch.
class StreamDetailPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamDetailPanel)

public:
    explicit StreamDetailPanel(RelayConsole &console, QWidget *parent = nullptr);
    ~StreamDetailPanel() override;

    // Empty: no stream.
    void showStream(const QString &streamId);

private:
    struct MetricField
    {
        QString key; // of the stream object
        QLabel *value;
        bool timestamp;
    };

    QWidget *createMetrics();
    void refreshMetrics();
    void streamRowsChanged(int first, int last, bool countsChanged);
    void epochsLoaded(const QString &streamId, const QList<Pitwall::EpochInfo> &epochs);
    void loadEpochs();
    const EpochInfo *selectedEpoch() const;
    void exportEpoch();

    RelayConsole &m_console;
    StreamActions *m_actions;
    EpochTableModel *m_epochs;
    QString m_streamId;
    QLabel *m_title;
    QList<QLabel *> m_columnValues; // one per StreamTableModel column
    QList<MetricField> m_fields;
    QTableView *m_epochView;
    QPushButton *m_rename;
    QPushButton *m_reset;
    QPushButton *m_exportStream;
    QPushButton *m_exportEpoch;
    QPushButton *m_nameEpoch;
    QTimer m_epochReload;
};

} // namespace Pitwall
