#include "shell/logspanel.h"

#include "core/log/loglevel.h"
#include "shell/logfiltermodel.h"
#include "shell/logmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

LogsPanel::LogsPanel(const LogRing &ring, QWidget *parent)
    : QWidget(parent)
    , m_model(new LogModel(ring, LogModel::DefaultMaxRows, this))
    , m_filter(new LogFilterModel(this))
{
    setObjectName(u"logsPanel"_s);
    m_filter->setSourceModel(m_model);

    m_level = new QComboBox;
    m_level->setObjectName(u"logLevelFilter"_s);
    m_level->addItem(tr("All levels"), int(LogLevel::Trace));
    m_level->addItem(tr("Debug and above"), int(LogLevel::Debug));
    m_level->addItem(tr("Info and above"), int(LogLevel::Info));
    m_level->addItem(tr("Warnings and errors"), int(LogLevel::Warn));
    m_level->addItem(tr("Errors only"), int(LogLevel::Error));
    connect(m_level, &QComboBox::currentIndexChanged, this, &LogsPanel::applyLevel);

    m_component = new QComboBox;
    m_component->setObjectName(u"logComponentFilter"_s);
    m_component->addItem(tr("All components"), QString());
    m_component->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_component, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setComponent(m_component->currentData().toString());
    });
    connect(m_model, &LogModel::componentAdded, this, &LogsPanel::addComponent);

    m_search = new QLineEdit;
    m_search->setObjectName(u"logSearch"_s);
    m_search->setPlaceholderText(tr("Search messages"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_filter, &LogFilterModel::setSearchText);

    m_follow = new QCheckBox(tr("Follow"));
    m_follow->setObjectName(u"logFollow"_s);
    m_follow->setToolTip(tr("Keep the newest entry in view"));
    m_follow->setChecked(true);
    connect(m_follow, &QCheckBox::toggled, this, &LogsPanel::followIfOn);

    m_view = new QTableView;
    m_view->setObjectName(u"logView"_s);
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Fixed row heights: the view never measures thousands of rows.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->verticalHeader()->hide();
    m_view->setColumnWidth(LogModel::TimeColumn, fontMetrics().horizontalAdvance(u"00:00:00.000__"_s));
    m_view->setColumnWidth(LogModel::LevelColumn, fontMetrics().horizontalAdvance(u"warning__"_s));
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &LogsPanel::followIfOn);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_level);
    filters->addWidget(m_component);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_follow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_view);

    // Polling batches whatever the ring got in between into one insert; a queued signal per
    // entry would cost an event per log line while the engine is busiest.
    m_pollTimer.setInterval(PollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, m_model, &LogModel::poll);
    m_pollTimer.start();
    m_model->poll();
}

LogsPanel::~LogsPanel() = default;

void LogsPanel::addComponent(const QString &component)
{
    // Sorted after the "All components" entry.
    int index = 1;
    while (index < m_component->count()
           && m_component->itemData(index).toString().compare(component) < 0)
        ++index;
    m_component->insertItem(index, component, component);
}

void LogsPanel::applyLevel()
{
    m_filter->setMinimumLevel(LogLevel(m_level->currentData().toInt()));
}

void LogsPanel::followIfOn()
{
    if (m_follow->isChecked())
        m_view->scrollToBottom();
}

} // namespace Pitwall
