import { FrugalInputError } from '@frugal/core';

/** A job made for one teacher reached a worker holding another: the worker refuses it. */
export class TeacherMismatchError extends FrugalInputError {
  constructor(
    readonly workerTeacher: string,
    readonly workerHash: string,
    readonly jobHash: string,
  ) {
    super(
      `This worker's teacher "${workerTeacher}" has weights hash ${workerHash.slice(0, 12)}, but the queued job was made for a teacher ` +
        `with hash ${jobHash.slice(0, 12)}; refusing it. Start the worker with the coordinator's teacher (the same run directory, copied or shared)`,
    );
  }
}
