#include "vodqueuepanel.h"

#include "progressdelegate.h"
#include "vodconsole.h"
#include "vodtablemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace Pitwall {

namespace {

QPushButton *button(const QString &text, const char *objectName, QWidget *parent)
{
    auto *result = new QPushButton(text, parent);
    result->setObjectName(QLatin1String(objectName));
    result->setEnabled(false);
    return result;
}

// Asks before an action that stops or restarts work; true when the operator agreed.
bool confirm(QWidget *parent, const char *objectName, const QString &title, const QString &text)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::No,
                    parent);
    box.setObjectName(QLatin1String(objectName));
    box.setDefaultButton(QMessageBox::No);
    return box.exec() == QMessageBox::Yes;
}

} // namespace

VodQueuePanel::VodQueuePanel(VodConsole &console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_sorted(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_cancel(button(tr("&Cancel"), "cancelVodButton", this))
    , m_reprocess(button(tr("&Reprocess"), "reprocessVodButton", this))
    , m_priority(button(tr("&Priority…"), "priorityVodButton", this))
    , m_skipUpload(button(tr("&Skip upload"), "skipUploadVodButton", this))
{
    setObjectName(QStringLiteral("vodQueuePanel"));
    m_sorted->setSourceModel(&console.queue());
    m_sorted->setSortRole(Qt::DisplayRole);
    m_view->setObjectName(QStringLiteral("vodQueueView"));
    m_view->setModel(m_sorted);
    m_view->setSortingEnabled(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setItemDelegateForColumn(VodTableModel::Progress,
                                     new ProgressDelegate(VodTableModel::PercentRole, m_view));
    m_view->horizontalHeader()->setSectionResizeMode(VodTableModel::Title, QHeaderView::Stretch);
    m_view->verticalHeader()->hide();
    m_skipUpload->setCheckable(true);

    auto *buttons = new QHBoxLayout;
    for (QPushButton *action : {m_cancel, m_reprocess, m_priority, m_skipUpload})
        buttons->addWidget(action);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addLayout(buttons);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &VodQueuePanel::selectionChanged);
    // A row's state changes while selected: the buttons follow it.
    connect(&console.queue(), &QAbstractItemModel::dataChanged, this,
            &VodQueuePanel::selectionChanged);
    connect(m_cancel, &QPushButton::clicked, this, &VodQueuePanel::cancelSelected);
    connect(m_reprocess, &QPushButton::clicked, this, &VodQueuePanel::reprocessSelected);
    connect(m_priority, &QPushButton::clicked, this, &VodQueuePanel::prioritizeSelected);
    connect(m_skipUpload, &QPushButton::clicked, this, &VodQueuePanel::toggleSkipUpload);
}

VodQueuePanel::~VodQueuePanel() = default;

int VodQueuePanel::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : m_sorted->mapToSource(rows.first()).row();
}

void VodQueuePanel::selectionChanged()
{
    const int row = selectedRow();
    const bool selected = row >= 0;
    const VodRecord *vod = selected ? &m_console.queue().vod(row) : nullptr;
    m_cancel->setEnabled(vod && (isActive(vod->state) || isWaiting(vod->state)));
    m_reprocess->setEnabled(vod && !isActive(vod->state));
    m_priority->setEnabled(selected);
    m_skipUpload->setEnabled(vod && !isProcessed(vod->state));
    {
        const QSignalBlocker blocker(m_skipUpload);
        m_skipUpload->setChecked(vod && vod->skipUpload);
    }
    if (sender() == m_view->selectionModel())
        emit vodSelected(vod ? vod->twitchVodId : QString());
}

void VodQueuePanel::cancelSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const VodRecord vod = m_console.queue().vod(row);
    if (confirm(this, "cancelVodConfirmation", tr("Cancel VOD"),
                tr("Cancel %1 (%2)? A running download stops; its partial file is kept, so "
                   "reprocessing resumes it.").arg(vod.twitchVodId, vod.title)))
        m_console.cancel(vod.twitchVodId);
}

void VodQueuePanel::reprocessSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const VodRecord vod = m_console.queue().vod(row);
    if (confirm(this, "reprocessVodConfirmation", tr("Reprocess VOD"),
                tr("Queue %1 (%2) again? Its error and attempt counters are cleared.")
                    .arg(vod.twitchVodId, vod.title)))
        m_console.reprocess(vod.twitchVodId);
}

void VodQueuePanel::prioritizeSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const VodRecord vod = m_console.queue().vod(row);
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("priorityDialog"));
    dialog.setWindowTitle(tr("VOD priority"));
    dialog.setLabelText(tr("Priority of %1 (higher is processed first):").arg(vod.twitchVodId));
    dialog.setInputMode(QInputDialog::IntInput);
    dialog.setIntRange(-1000000, 1000000);
    dialog.setIntValue(vod.priority);
    if (dialog.exec() == QDialog::Accepted)
        m_console.setPriority(vod.twitchVodId, dialog.intValue());
}

void VodQueuePanel::toggleSkipUpload()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    m_console.setSkipUpload(m_console.queue().vod(row).twitchVodId, m_skipUpload->isChecked());
}

} // namespace Pitwall
