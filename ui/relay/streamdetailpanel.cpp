#include "streamdetailpanel.h"

#include "epochtablemodel.h"
#include "relayconsole.h"
#include "relayconsoleservice.h"
#include "relayformat.h"
#include "relaytable.h"
#include "streamactions.h"
#include "streamtablemodel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

StreamDetailPanel::StreamDetailPanel(RelayConsole &console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_actions(new StreamActions(console, this))
    , m_epochs(new EpochTableModel(this))
    , m_title(new QLabel(this))
    , m_epochView(createRelayTable(m_epochs, u"epochsView"_s, this))
    , m_rename(new QPushButton(tr("Rename…"), this))
    , m_reset(new QPushButton(tr("Reset epoch…"), this))
    , m_exportStream(new QPushButton(tr("Export stream…"), this))
    , m_exportEpoch(new QPushButton(tr("Export epoch…"), this))
    , m_nameEpoch(new QPushButton(tr("Name epoch…"), this))
{
    setObjectName(u"streamDetailPanel"_s);
    m_title->setObjectName(u"streamDetailTitle"_s);
    m_title->setWordWrap(true);
    m_rename->setObjectName(u"detailRenameButton"_s);
    m_reset->setObjectName(u"detailResetEpochButton"_s);
    m_exportStream->setObjectName(u"detailExportStreamButton"_s);
    m_exportEpoch->setObjectName(u"detailExportEpochButton"_s);
    m_nameEpoch->setObjectName(u"detailNameEpochButton"_s);
    m_epochReload.setSingleShot(true);
    m_epochReload.setInterval(std::chrono::seconds(2));
    connect(&m_epochReload, &QTimer::timeout, this, &StreamDetailPanel::loadEpochs);

    const auto stream = [this] { return m_console.streams().stream(m_streamId); };
    connect(m_rename, &QPushButton::clicked, this, [this, stream] { m_actions->rename(stream()); });
    connect(m_reset, &QPushButton::clicked, this,
            [this, stream] { m_actions->resetEpoch(stream()); });
    connect(m_exportStream, &QPushButton::clicked, this, [this, stream] {
        const QJsonObject json = stream();
        m_actions->exportStream(json, std::nullopt, json.value(u"dedup_count"_s).toInteger());
    });
    connect(m_exportEpoch, &QPushButton::clicked, this, &StreamDetailPanel::exportEpoch);
    connect(m_nameEpoch, &QPushButton::clicked, this, [this, stream] {
        if (const EpochInfo *epoch = selectedEpoch())
            m_actions->nameEpoch(stream(), *epoch);
    });
    connect(m_epochView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        for (QPushButton *button : {m_exportEpoch, m_nameEpoch})
            button->setEnabled(m_epochView->selectionModel()->hasSelection());
    });

    StreamTableModel &streams = console.streams();
    connect(&streams, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                // The lag's once-a-second tick changes no count: no epoch reload for it.
                const bool lagOnly = topLeft.column() == StreamTableModel::Lag
                        && bottomRight.column() == StreamTableModel::Lag;
                streamRowsChanged(topLeft.row(), bottomRight.row(), !lagOnly);
            });
    connect(&streams, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                streamRowsChanged(first, last, true);
            });
    connect(&console.service(), &RelayConsoleService::epochsLoaded, this,
            &StreamDetailPanel::epochsLoaded);
    connect(&console.service(), &RelayConsoleService::epochNamed, this,
            [this](const QString &streamId) {
                if (streamId == m_streamId)
                    loadEpochs();
                // The current epoch's name shows in the streams table too; no event brings it.
                m_console.run([](RelayConsoleService &service) { service.loadStreams(); });
            });

    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {m_rename, m_reset, m_exportStream, m_exportEpoch, m_nameEpoch})
        buttons->addWidget(button);
    buttons->addStretch();
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createMetrics());
    splitter->addWidget(m_epochView);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    showStream({});
}

StreamDetailPanel::~StreamDetailPanel() = default;

QWidget *StreamDetailPanel::createMetrics()
{
    auto *metrics = new QWidget(this);
    auto *form = new QFormLayout(metrics);
    const StreamTableModel &streams = m_console.streams();
    for (int column = 0; column < StreamTableModel::ColumnCount; ++column) {
        auto *value = new QLabel(metrics);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(streams.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString(),
                     value);
        m_columnValues.append(value);
    }
    const QList<std::tuple<QString, QString, bool>> fields{
            {u"epoch_dedup_count"_s, tr("Events in this epoch"), false},
            {u"epoch_raw_count"_s, tr("Raw reads in this epoch"), false},
            {u"epoch_retransmit_count"_s, tr("Retransmits in this epoch"), false},
            {u"epoch_conflict_count"_s, tr("Conflicts in this epoch"), false},
            {u"backlog"_s, tr("Receiver backlog"), false},
            {u"unique_chips"_s, tr("Unique chips"), false},
            {u"last_tag_id"_s, tr("Last chip"), false},
            {u"last_reader_timestamp"_s, tr("Last reader time"), false},
            {u"epoch_last_received_at"_s, tr("Last read received"), true},
    };
    for (const auto &[key, label, timestamp] : fields) {
        auto *value = new QLabel(metrics);
        value->setObjectName(u"metric_"_s + key);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, value);
        m_fields.append({key, value, timestamp});
    }
    return metrics;
}

void StreamDetailPanel::showStream(const QString &streamId)
{
    if (streamId == m_streamId && !streamId.isEmpty())
        return;
    m_streamId = streamId;
    m_epochReload.stop();
    m_epochs->merge({});
    for (QPushButton *button : {m_rename, m_reset, m_exportStream})
        button->setEnabled(!streamId.isEmpty());
    m_exportEpoch->setEnabled(false);
    m_nameEpoch->setEnabled(false);
    refreshMetrics();
    loadEpochs();
}

void StreamDetailPanel::refreshMetrics()
{
    const StreamTableModel &streams = m_console.streams();
    const int row = streams.find(m_streamId);
    const QJsonObject stream = row < 0 ? QJsonObject() : streams.at(row).json;
    m_title->setText(row < 0 ? tr("Select a stream in the relay streams panel.")
                             : tr("Stream %1").arg(StreamTableModel::displayName(stream)));
    for (int column = 0; column < m_columnValues.size(); ++column) {
        m_columnValues.at(column)->setText(
                row < 0 ? QString() : streams.index(row, column).data().toString());
    }
    for (const MetricField &field : std::as_const(m_fields)) {
        const QJsonValue value = stream.value(field.key);
        field.value->setText(field.timestamp ? RelayFormat::timestamp(value)
                                     : value.isDouble() ? RelayFormat::count(value)
                                                        : value.toString());
    }
}

void StreamDetailPanel::streamRowsChanged(int first, int last, bool countsChanged)
{
    const int row = m_console.streams().find(m_streamId);
    if (row < first || row > last)
        return;
    refreshMetrics();
    if (countsChanged && !m_epochReload.isActive())
        m_epochReload.start();
}

void StreamDetailPanel::loadEpochs()
{
    if (m_streamId.isEmpty())
        return;
    m_console.run([streamId = m_streamId](RelayConsoleService &service) {
        service.loadEpochs(streamId);
    });
}

void StreamDetailPanel::epochsLoaded(const QString &streamId, const QList<EpochInfo> &epochs)
{
    if (streamId == m_streamId)
        m_epochs->merge(epochs);
}

const EpochInfo *StreamDetailPanel::selectedEpoch() const
{
    const QModelIndexList rows = m_epochView->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : &m_epochs->at(rows.first().row());
}

void StreamDetailPanel::exportEpoch()
{
    if (const EpochInfo *epoch = selectedEpoch()) {
        m_actions->exportStream(m_console.streams().stream(m_streamId), epoch->epoch,
                                epoch->eventCount);
    }
}

} // namespace Pitwall
