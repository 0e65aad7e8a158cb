function Injectable(): ClassDecorator {
  return () => undefined;
}

function Log(target: object, key: string, descriptor: PropertyDescriptor) {
  return descriptor;
}

@Injectable()
export class ReportService {
  private readonly base = '/api/reports';

  @Log
  async list(): Promise<string[]> {
    return await (await fetch(this.base)).json();
  }
}
