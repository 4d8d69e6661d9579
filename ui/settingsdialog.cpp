#include "settingsdialog.h"

#include "consolesettings.h"
#include "watch/watchconfig.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

SettingsDialog::SettingsDialog(QString dataDir, QWidget *parent)
    : QDialog(parent)
    , m_dataDir(std::move(dataDir))
{
    setObjectName(u"SettingsDialog"_s);
    setWindowTitle(tr("Settings"));

    const ConsoleSettings settings;
    m_watchEnabled = new QCheckBox(tr("Govern ffmpeg/GStreamer processes (watch scanner)"));
    m_watchEnabled->setObjectName(u"watchEnabled"_s);
    m_watchEnabled->setChecked(settings.watchEnabled());
    m_watchConfigFile = new QLineEdit(settings.watchConfigFile());
    m_watchConfigFile->setObjectName(u"watchConfigFile"_s);
    auto *browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(u"browseWatchConfig"_s);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseWatchConfig);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_watchConfigFile, 1);
    fileRow->addWidget(browse);
    auto *watchForm = new QFormLayout;
    watchForm->addRow(m_watchEnabled);
    watchForm->addRow(tr("Configuration file:"), fileRow);
    // Honest about when a change counts: the engines are built once, at start-up.
    auto *note = new QLabel(tr("Changes take effect the next time the console starts. A watch "
                               "configuration given with --watch-config or WATCH_CONFIG is used "
                               "instead of this one. To re-read the file of a running watch "
                               "scanner, use File > Reload watch configuration."));
    note->setWordWrap(true);
    watchForm->addRow(note);
    auto *watchGroup = new QGroupBox(tr("Watch scanner"));
    watchGroup->setLayout(watchForm);

    m_error = new QLabel;
    m_error->setObjectName(u"settingsError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(watchGroup);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::accept()
{
    const QString entered = m_watchConfigFile->text().trimmed();
    // Absolute, like --watch-config: the console may start from another working directory.
    const QString file = entered.isEmpty() ? QString() : QFileInfo(entered).absoluteFilePath();
    const bool enabled = m_watchEnabled->isChecked();
    if (enabled) {
        if (file.isEmpty()) {
            showError(tr("Choose a watch configuration file to enable the watch scanner."));
            return;
        }
        QString error;
        if (!WatchConfig::load(file, QProcessEnvironment::systemEnvironment(), m_dataDir,
                               &error)) {
            showError(tr("The watch configuration does not load: %1").arg(error));
            return;
        }
    }
    ConsoleSettings().setWatch(enabled, file);
    QDialog::accept();
}

void SettingsDialog::browseWatchConfig()
{
    // open(), not exec(): no nested event loop, the console keeps serving its queued signals.
    auto *dialog = new QFileDialog(this, tr("Watch configuration file"),
                                   QFileInfo(m_watchConfigFile->text()).absolutePath(),
                                   tr("YAML files (*.yaml *.yml);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, m_watchConfigFile, &QLineEdit::setText);
    dialog->open();
}

void SettingsDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

} // namespace Pitwall
