/* The subcommands, registered in main.c: argv[0] is the subcommand name;
 * each returns an exit code (messages.h). */
#ifndef FSNSA_CLI_COMMANDS_H
#define FSNSA_CLI_COMMANDS_H

int cmd_train(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_xor(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_restarts(int argc, char **argv);
int cmd_hittime(int argc, char **argv);
int cmd_grid(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif
